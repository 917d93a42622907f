import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notifySummary } from '../src/cli/commands/queues';
import { templateFromJson } from '../src/cli/commands/template-params';
import { parseWord, wordsFromText } from '../src/cli/commands/vocab';
import { UsageError } from '../src/cli/errors';
import type { CliCommand } from '../src/cli/run';
import { parseCommandLine } from '../src/cli/run';

function parsed<K extends CliCommand['kind']>(argv: string[], kind: K): Extract<CliCommand, { kind: K }> {
  const cmd = parseCommandLine(argv);
  assert.equal(cmd.kind, kind);
  return cmd as Extract<CliCommand, { kind: K }>;
}

function refused(argv: string[], message: RegExp): void {
  assert.throws(
    () => parseCommandLine(argv),
    (err: unknown) => err instanceof UsageError && message.test(err.message),
  );
}

describe('CI setup command lines (pure parsing)', () => {
  it('targets the configured bucket unless --bucket/--region say otherwise, and checks their form', () => {
    assert.deepEqual(parsed(['bucket', 'bind'], 'bucket-bind'), { kind: 'bucket-bind', target: {}, json: false });
    const other = parsed(
      ['bucket', 'status', '--bucket', 'other-1250000000', '--region', 'ap-shanghai', '--json'],
      'bucket-status',
    );
    assert.deepEqual(other, {
      kind: 'bucket-status',
      target: { bucket: 'other-1250000000', region: 'ap-shanghai' },
      json: true,
    });
    refused(['bucket', 'status', '--bucket', 'other'], /bucket 'other' must look like name-appid/);
    refused(['bucket', 'bind', '--region', 'Shanghai'], /--region must look like ap-guangzhou/);
  });

  it('queues: list filters, pause/resume states, notify configs from repeated or comma-separated events', () => {
    const list = parsed(['queues', 'list', 'pa,pb', '--state', 'paused', '--size', '5'], 'queues-list');
    assert.deepEqual(list.filter, { queueIds: ['pa', 'pb'], state: 'Paused', pageSize: 5 });
    assert.deepEqual(parsed(['queues', 'pause'], 'queues-update').change, { state: 'Paused' });
    assert.deepEqual(parsed(['queues', 'resume', 'pa'], 'queues-update'), {
      kind: 'queues-update',
      action: 'resume',
      queueId: 'pa',
      change: { state: 'Active' },
      target: {},
      json: false,
    });
    const on = parsed(
      ['queues', 'notify', '--url', 'https://x/cb', '--event', 'TaskFinish', '--event', 'workflowfinish,TaskFinish'],
      'queues-update',
    );
    assert.deepEqual(on.change.notifyConfig, {
      State: 'On',
      Type: 'Url',
      Url: 'https://x/cb',
      Event: 'TaskFinish,WorkflowFinish',
    });
    const mq = parsed(['queues', 'notify', '--mq-name', 'asr', '--mq-region', 'gz'], 'queues-update');
    assert.deepEqual(mq.change.notifyConfig, {
      State: 'On',
      Type: 'TDMQ',
      Event: 'TaskFinish',
      MqName: 'asr',
      MqRegion: 'gz',
      MqMode: 'Queue',
    });
    assert.deepEqual(parsed(['queues', 'notify', '--off'], 'queues-update').change, { notifyConfig: { State: 'Off' } });
    refused(['queues', 'notify', '--url', 'https://x', '--mq-name', 'q'], /Give --url or --mq-name, not both/);
    refused(['queues', 'pause', 'bad/id'], /queueId must be 1-64 letters, digits/);
    refused(['queues', 'list', '--state', 'Stopped'], /--state must be one of All, Active, Paused/);
  });

  it('describes queue callbacks in one cell', () => {
    assert.equal(notifySummary(undefined), 'Off');
    assert.equal(notifySummary({ State: 'Off', Url: 'https://x' }), 'Off');
    assert.equal(
      notifySummary({ State: 'On', Type: 'Url', Url: 'https://x', Event: 'TaskFinish' }),
      'On Url https://x TaskFinish',
    );
    assert.equal(notifySummary({ State: 'On', Type: 'TDMQ', MqRegion: 'gz', MqName: 'q' }), 'On TDMQ gz/q');
  });

  it('templates create: flags map to SpeechRecognition parameters; a JSON body or bare parameters from a file', () => {
    const cmd = parsed(
      [
        'templates',
        'create',
        'phone',
        '--engine',
        '8k_zh',
        '--channels',
        '2',
        '--filter-punc',
        '2',
        '--hot-vocab',
        'abc',
        '--output-file-type',
        'srt',
      ],
      'templates-create',
    );
    assert.deepEqual(cmd.source, {
      request: {
        Name: 'phone',
        SpeechRecognition: {
          EngineModelType: '8k_zh',
          ChannelNum: 2,
          FilterPunc: 2,
          HotVocabularyTableId: 'abc',
          OutputFileType: 'srt',
        },
      },
    });
    const flash = parsed(
      ['templates', 'create', 'f', '--flash', '--audio-format', 'wav', '--engine', '16k_zh'],
      'templates-create',
    );
    assert.deepEqual(flash.source, {
      request: {
        Name: 'f',
        SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1, FlashAsr: true, Format: 'wav' },
      },
    });
    assert.deepEqual(parsed(['templates', 'create', '--from-json', 'a.json'], 'templates-create').source, {
      file: 'a.json',
    });
    assert.deepEqual(templateFromJson('{"Name":"a","SpeechRecognition":{"EngineModelType":"16k_zh"}}', undefined), {
      Name: 'a',
      SpeechRecognition: { EngineModelType: '16k_zh' },
    });
    assert.deepEqual(templateFromJson('{"EngineModelType":"16k_en"}', 'b'), {
      Name: 'b',
      SpeechRecognition: { EngineModelType: '16k_en' },
    });
    assert.throws(() => templateFromJson('[1]', 'x'), /does not hold a JSON object/);
    assert.throws(() => templateFromJson('{"EngineModelType":"16k_en"}', undefined), /has no "Name"/);
    refused(['templates', 'list', '--ids', 'a,,b'], /--ids must be a comma-separated list without blanks/);
  });

  it('vocab: word|weight entries (the weight after the last bar, default 10) and word files', () => {
    assert.deepEqual(parseWord('腾讯云|10'), { Vocabulary: '腾讯云', Weight: 10 });
    assert.deepEqual(parseWord('a|b|3'), { Vocabulary: 'a|b', Weight: 3 });
    assert.deepEqual(parseWord('Temporal'), { Vocabulary: 'Temporal', Weight: 10 });
    assert.match(parseWord('x|') as string, /the weight must be a whole number/);
    assert.deepEqual(wordsFromText('# names\r\nA|1\n\n  B \nC|z\n'), {
      words: [
        { Vocabulary: 'A', Weight: 1 },
        { Vocabulary: 'B', Weight: 10 },
      ],
      problems: ["line 5: 'C|z': the weight must be a whole number (1-10, 11 or 100)"],
    });
    const cmd = parsed(
      ['vocab', 'create', 'n', '--word', 'A|100', '--word', 'B|11', '--description', 'd'],
      'vocab-create',
    );
    assert.deepEqual(cmd.request, {
      TableName: 'n',
      TableDescription: 'd',
      VocabularyWeights: [
        { Vocabulary: 'A', Weight: 100 },
        { Vocabulary: 'B', Weight: 11 },
      ],
    });
    assert.deepEqual(parsed(['vocab', 'list', '--offset', '20', '--limit', '10'], 'vocab-list').filter, {
      offset: 20,
      limit: 10,
    });
    refused(['vocab', 'list', '--limit', '101'], /--limit must be a whole number from 1 to 100/);
    refused(['vocab', 'delete', 'a b'], /tableId must be 1-64 letters/);
  });
});
