import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CiValidationError } from '../src/ci/errors';
import { createTencentClients } from '../src/tencent/clients';
import type { SubmitAsrJobRequest } from '../src/ci/types';
import { submitRequestIssues, validateJobIds, validateListFilter, validateSubmitRequest } from '../src/ci/validate';

const OUTPUT = { Region: 'ap-guangzhou', Bucket: 'demo-1250000000', Object: 'out/a.txt' };

const inline: SubmitAsrJobRequest = {
  Input: { Object: 'in/a.mp3' },
  Operation: { SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 }, Output: OUTPUT },
};

/** Builds a request the type system would reject, as a JavaScript caller or a decoded payload could. */
function loose(value: unknown): SubmitAsrJobRequest {
  return value as SubmitAsrJobRequest;
}

/** The error `fn` throws (assert.throws returns nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return assert.fail('expected an error');
}

function paths(req: SubmitAsrJobRequest): string[] {
  return submitRequestIssues(req).map((i) => i.path);
}

describe('validateSubmitRequest', () => {
  it('accepts object, URL, template, flash and fully specified requests', () => {
    validateSubmitRequest(inline);
    validateSubmitRequest({ ...inline, Input: { Url: 'https://example.com/a.mp3' } });
    validateSubmitRequest({ Input: { Object: 'a.mp3' }, Operation: { TemplateId: 't1abc', Output: OUTPUT } });
    validateSubmitRequest({
      Input: { Object: 'a.mp3' },
      Operation: {
        SpeechRecognition: {
          EngineModelType: '16k_zh_video',
          FlashAsr: true,
          Format: 'mp3',
          WordInfo: 2,
          FirstChannelOnly: 1,
        },
        Output: OUTPUT,
      },
    });
    validateSubmitRequest({
      Input: { Object: 'a.wav' },
      Operation: {
        SpeechRecognition: {
          EngineModelType: '8k_zh',
          ChannelNum: 2,
          ResTextFormat: 3,
          FilterDirty: 2,
          FilterModal: 1,
          ConvertNumMode: 3,
          SpeakerDiarization: 0,
          SpeakerNumber: 10,
          FilterPunc: 2,
          OutputFileType: 'txt',
          SentenceMaxLength: 40,
          HotVocabularyTableId: 'h1',
        },
        Output: OUTPUT,
        UserData: 'wf-1 ~!@#$%^&*()',
        JobLevel: 2,
      },
      QueueId: 'p123',
      CallBack: 'https://hooks.example.com/ci',
      CallBackFormat: 'JSON',
      CallBackType: 'TDMQ',
      CallBackMqConfig: { MqRegion: 'gz', MqMode: 'Topic', MqName: 'asr' },
    });
  });

  it('lists every problem of a bad request in one CiValidationError', () => {
    const bad = loose({
      Input: { Object: 'a.mp3', Url: 'https://example.com/a.mp3' },
      Operation: {
        TemplateId: 't1',
        SpeechRecognition: {
          EngineModelType: '16k_xx',
          ChannelNum: 3,
          SpeakerNumber: 11,
          SentenceMaxLength: 5,
          ConvertNumMode: 2,
          ChannelNumber: 1,
        },
        Output: { Region: 'ap-guangzhou', Bucket: 'demo' },
        UserData: `${'x'.repeat(1025)}\u00e9`,
        JobLevel: 3,
      },
      CallBack: 'ftp://nope',
      CallBackFormat: 'YAML',
      CallBackType: 'TDMQ',
    });
    const err = thrown(() => validateSubmitRequest(bad));
    assert.ok(err instanceof CiValidationError);
    assert.equal(err.name, 'CiValidationError');
    const got = err.issues.map((i) => i.path);
    for (const p of [
      'Input',
      'Operation',
      'Operation.SpeechRecognition.EngineModelType',
      'Operation.SpeechRecognition.ChannelNumber',
      'Operation.SpeechRecognition.ChannelNum',
      'Operation.SpeechRecognition.ConvertNumMode',
      'Operation.SpeechRecognition.SpeakerNumber',
      'Operation.SpeechRecognition.SentenceMaxLength',
      'Operation.Output.Object',
      'Operation.Output.Bucket',
      'Operation.UserData',
      'Operation.JobLevel',
      'CallBack',
      'CallBackFormat',
      'CallBackMqConfig',
    ]) {
      assert.ok(got.includes(p), `missing issue for ${p}: ${got.join(', ')}`);
    }
    assert.equal(got.filter((p) => p === 'Operation.UserData').length, 2, 'length and ASCII are both reported');
    assert.match(err.message, /^Invalid ASR submit request \(\d+ problems\):\n {2}- Input: /);
  });

  it('engine-specific rules: dual channel, diarization, flash format and engines, srt', () => {
    const sr = (SpeechRecognition: Record<string, unknown>): SubmitAsrJobRequest =>
      loose({ Input: { Object: 'a' }, Operation: { SpeechRecognition, Output: OUTPUT } });
    assert.deepEqual(paths(sr({ EngineModelType: '16k_zh', ChannelNum: 2 })), [
      'Operation.SpeechRecognition.ChannelNum',
    ]);
    assert.deepEqual(paths(sr({ EngineModelType: '8k_zh', ChannelNum: 2 })), []);
    assert.deepEqual(paths(sr({ EngineModelType: '16k_zh' })), ['Operation.SpeechRecognition.ChannelNum']);
    assert.deepEqual(paths(sr({ EngineModelType: '16k_en', ChannelNum: 1, SpeakerDiarization: 1 })), [
      'Operation.SpeechRecognition.SpeakerDiarization',
    ]);
    assert.deepEqual(paths(sr({ EngineModelType: '8k_zh', ChannelNum: 2, SpeakerDiarization: 1 })), [
      'Operation.SpeechRecognition.SpeakerDiarization',
    ]);
    assert.deepEqual(paths(sr({ EngineModelType: '16k_zh', FlashAsr: true })), ['Operation.SpeechRecognition.Format']);
    assert.deepEqual(paths(sr({ EngineModelType: '16k_ja', FlashAsr: true, Format: 'wav' })), [
      'Operation.SpeechRecognition.EngineModelType',
    ]);
    assert.deepEqual(paths(sr({ EngineModelType: '16k_zh', FlashAsr: true, Format: 'flac' })), [
      'Operation.SpeechRecognition.Format',
    ]);
    assert.deepEqual(paths(sr({ EngineModelType: '16k_zh', ChannelNum: 1, ResTextFormat: 3, OutputFileType: 'srt' })), [
      'Operation.SpeechRecognition.OutputFileType',
    ]);
    assert.deepEqual(paths(sr({ EngineModelType: '16k_zh', ChannelNum: 1, SentenceMaxLength: 0 })), []);
    assert.deepEqual(paths(sr({ EngineModelType: '16k_zh', ChannelNum: 1, SentenceMaxLength: 6.5 })), [
      'Operation.SpeechRecognition.SentenceMaxLength',
    ]);
  });

  it('both or neither of Object/Url and of TemplateId/SpeechRecognition', () => {
    assert.deepEqual(paths(loose({ Input: {}, Operation: { TemplateId: 't', Output: OUTPUT } })), ['Input']);
    assert.deepEqual(paths(loose({ Input: { Object: 'a' }, Operation: { Output: OUTPUT } })), ['Operation']);
    assert.deepEqual(paths(loose({ Input: { Url: 'not a url' }, Operation: { TemplateId: 't', Output: OUTPUT } })), [
      'Input.Url',
    ]);
    assert.deepEqual(paths(loose({ Input: { Object: '' }, Operation: { TemplateId: 't', Output: OUTPUT } })), [
      'Input.Object',
    ]);
    assert.deepEqual(paths(loose(null)), ['request']);
    assert.deepEqual(paths(loose({})), ['Input', 'Operation']);
  });

  it('callback rules: TDMQ needs a complete CallBackMqConfig; "no" is a valid CallBack', () => {
    const base = { Input: { Object: 'a' }, Operation: { TemplateId: 't', Output: OUTPUT } };
    assert.deepEqual(paths(loose({ ...base, CallBack: 'no' })), []);
    assert.deepEqual(
      paths(loose({ ...base, CallBackType: 'TDMQ', CallBackMqConfig: { MqRegion: 'xx', MqName: '' } })),
      ['CallBackMqConfig.MqRegion', 'CallBackMqConfig.MqMode', 'CallBackMqConfig.MqName'],
    );
  });
});

describe('validateListFilter and validateJobIds', () => {
  it('accepts every documented filter', () => {
    validateListFilter({});
    validateListFilter({
      queueId: 'p1',
      states: ['Success', 'Failed', 'All'],
      startCreationTime: new Date('2024-01-01T00:00:00Z'),
      endCreationTime: new Date('2024-01-02T00:00:00Z'),
      orderByTime: 'Asc',
      size: 100,
      nextToken: '21',
    });
  });

  it('reports every bad filter field', () => {
    const err = thrown(() =>
      validateListFilter({
        size: 101,
        states: ['Done' as never],
        startCreationTime: new Date('2024-01-02T00:00:00Z'),
        endCreationTime: new Date('2024-01-01T00:00:00Z'),
        orderByTime: 'Up' as never,
        nextToken: '',
      }),
    );
    assert.ok(err instanceof CiValidationError);
    assert.deepEqual(
      err.issues.map((i) => i.path),
      ['size', 'states[0]', 'endCreationTime', 'orderByTime', 'nextToken'],
    );
    assert.throws(() => validateListFilter({ size: 0 }), /size/);
    assert.throws(() => validateListFilter({ states: [] }), /states/);
    assert.throws(() => validateListFilter({ startCreationTime: new Date('nope') }), /startCreationTime/);
  });

  it('job ids: non-empty, no commas, slashes or spaces', () => {
    validateJobIds(['s1', 'sabc']);
    assert.throws(() => validateJobIds([]), CiValidationError);
    const err = thrown(() => validateJobIds(['ok', '', 'a,b', 'a/b', 'a b']));
    assert.ok(err instanceof CiValidationError);
    assert.deepEqual(
      err.issues.map((i) => i.path),
      ['ids[1]', 'ids[2]', 'ids[3]', 'ids[4]'],
    );
  });
});

describe('createTencentClients config', () => {
  it('reports every bad setting and never echoes the secret', () => {
    const err = thrown(() =>
      createTencentClients({
        secretId: '',
        secretKey: 'SUPERSECRETVALUE',
        region: 'Guangzhou!',
        bucket: 'demo',
        endpoint: 'localhost:9100',
        timeoutMs: -1,
      }),
    );
    assert.ok(err instanceof CiValidationError);
    assert.deepEqual(
      err.issues.map((i) => i.path),
      ['secretId', 'region', 'bucket', 'endpoint', 'timeoutMs'],
    );
    assert.doesNotMatch(err.message, /SUPERSECRETVALUE/);
  });

  it('builds clients for the configured bucket and, on demand, for others', () => {
    const clients = createTencentClients({ secretId: 'id', secretKey: 'key', region: 'ap-guangzhou', bucket: 'a-125' });
    assert.equal(clients.ci.bucket, 'a-125');
    const other = clients.ciFor({ bucket: 'b-125', region: 'ap-shanghai' });
    assert.equal(other.region, 'ap-shanghai');
    assert.equal(clients.ciFor({ bucket: 'b-125', region: 'ap-shanghai' }), other);
    assert.throws(() => clients.ciFor({ bucket: 'nope', region: 'ap-shanghai' }), CiValidationError);
  });
});
