import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTencentClients } from '../src/tencent/clients';
import type { TencentClients } from '../src/tencent/clients';
import type { AsrQueuePage, AsrTemplate, HotVocabTablePage } from '../src/ci/setup';
import type { AsrJob, SubmitAsrJobRequest } from '../src/ci/types';
import type { RunningEmulator } from '../src/emulator';
import { BUCKET, CREDS, REGION, startFreshAccount, waitFor } from './fixtures/emulator-helpers';
import { CLI_MAIN, runCliRecorded, TSX } from './helpers/cli';

function job(queueId?: string, extra: Partial<SubmitAsrJobRequest['Operation']> = {}): SubmitAsrJobRequest {
  return {
    Input: { Object: 'in/a.wav' },
    Operation: {
      SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 },
      Output: { Region: REGION, Bucket: BUCKET, Object: 'out/cli-setup.txt' },
      ...extra,
    } as SubmitAsrJobRequest['Operation'],
    ...(queueId !== undefined ? { QueueId: queueId } : {}),
  };
}

describe('transcribe-asr CI setup commands against the emulator (real SDK, signed requests)', () => {
  let emu: RunningEmulator;
  let clients: TencentClients;
  const scratch = mkdtempSync(join(tmpdir(), 'cli-setup-'));

  before(async () => {
    // A fresh account: nothing bound to ASR yet.
    ({ emu, clients } = await startFreshAccount(2));
  });
  after(async () => {
    await emu?.close();
  });

  /** Runs one command line in-process with clients signing for the emulator (no Temporal needed). */
  async function cli(argv: string[], tencent: () => TencentClients = () => clients) {
    return runCliRecorded(argv, {
      taskQueue: 'unused',
      temporal: () => Promise.reject(new Error('setup commands must not need Temporal')),
      tencent,
    });
  }

  function requests(route: string): number {
    return emu.counters().requests[route] ?? 0;
  }

  function file(name: string, content: string): string {
    const path = join(scratch, name);
    writeFileSync(path, content);
    return path;
  }

  async function stateOf(jobId: string, states: string[]): Promise<AsrJob> {
    return waitFor(async () => {
      const found = (await clients.ci.get([jobId])).jobs[0];
      return found && states.includes(found.State) ? found : undefined;
    });
  }

  it('has --help for each group and command, and lists the groups in the main help', async () => {
    const main = await cli(['--help']);
    for (const line of ['bucket bind', 'queues notify [queueId]', 'templates create [name]', 'vocab delete <id>']) {
      assert.ok(main.out.includes(line), `main help lacks '${line}'`);
    }
    const group = await cli(['queues', '--help']);
    assert.equal(group.code, 0);
    assert.match(group.out, /^Usage: npm run cli -- queues <command>/);
    assert.match(group.out, /queues pause \[queueId\] +Pause a queue/);
    const create = await cli(['templates', 'create', '--help']);
    assert.match(create.out, /--speaker-diarization +SpeakerDiarization 1/);
    assert.match(create.out, /--from-json <file>/);
    assert.match((await cli(['vocab', 'create', '--help'])).out, /--word <word\|weight> +A hot word/);
  });

  it('bucket status and bind: unbound, then bound with region and time; CI refuses queue calls before', async () => {
    const unbound = await cli(['bucket', 'status', '--json']);
    assert.equal(unbound.code, 0, unbound.err);
    assert.deepEqual(JSON.parse(unbound.out), { bucket: BUCKET, region: REGION, bound: false });
    assert.match((await cli(['bucket', 'status'])).out, /^Bound to ASR +no$/m);

    const refused = await cli(['queues', 'list']);
    assert.equal(refused.code, 1);
    assert.match(
      refused.err,
      /^error: CiError: CI describeQueues failed for .*: MediaBucketUnBinded \(HTTP 400\): .*has not opened the ASR/,
    );
    assert.doesNotMatch(refused.err, /\n\s+at /, 'no stack trace');

    const bind = await cli(['bucket', 'bind']);
    assert.equal(bind.code, 0, bind.err);
    assert.match(bind.out, new RegExp(`^Bound ${BUCKET} \\(${REGION}\\) to speech recognition\\.$`, 'm'));
    assert.match(bind.out, /^Bound to ASR +yes$/m);
    assert.equal(requests('POST /asrbucket'), 1);

    const status = await cli(['bucket', 'status', '--json']);
    const body = JSON.parse(status.out) as { bound: boolean; region: string; binding: { createTime: string } };
    assert.deepEqual([body.bound, body.region], [true, REGION]);
    assert.match(body.binding.createTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0800$/);
    assert.equal(await clients.setup.isBucketBound(), true, 'the emulator holds the binding');
  });

  it('queues list: a table and JSON with state, MaxConcurrent and callback; an unknown id exits 1', async () => {
    const queueId = await clients.setup.defaultQueueId();
    const table = await cli(['queues', 'list']);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /^QUEUE ID +NAME +STATE +MAX CONCURRENT +CALLBACK$/m);
    assert.match(table.out, new RegExp(`^${queueId} +\\S+ +Active +2 +Off$`, 'm'));
    const json = await cli(['queues', 'list', queueId, 'pnope', '--json']);
    assert.equal(json.code, 1);
    const page = JSON.parse(json.out) as AsrQueuePage;
    assert.deepEqual(
      page.queues.map((q) => [q.queueId, q.state, q.maxConcurrent]),
      [[queueId, 'Active', 2]],
    );
    assert.deepEqual(page.nonExistentQueueIds, ['pnope']);
    assert.match(json.err, /^error: no ASR queue with id 'pnope'$/m);
  });

  it('queues pause holds a new job in Pause while another queue runs its job, until queues resume', async () => {
    const queueId = await clients.setup.defaultQueueId();
    const other = emu.addQueue(BUCKET);
    const pause = await cli(['queues', 'pause']);
    assert.equal(pause.code, 0, pause.err);
    assert.match(pause.out, new RegExp(`^Paused queue ${queueId}: new jobs wait in Pause until `, 'm'));
    assert.match(pause.out, new RegExp(`^${queueId} +\\S+ +Paused +2 +Off$`, 'm'));

    const held = await clients.ci.submit(job(queueId));
    const control = await clients.ci.submit(job(other));
    // The control job on the active queue finishing shows time passed; the held one must not have moved meanwhile.
    await stateOf(control.JobId, ['Success']);
    assert.equal((await clients.ci.get([held.JobId])).jobs[0]?.State, 'Pause');

    const resume = await cli(['queues', 'resume', queueId, '--json']);
    assert.equal(resume.code, 0, resume.err);
    const body = JSON.parse(resume.out) as { action: string; queue: { state: string } };
    assert.deepEqual([body.action, body.queue.state], ['resume', 'Active']);
    assert.equal((await stateOf(held.JobId, ['Success'])).State, 'Success');
  });

  it('queues notify sets and clears the callback; bad flags exit 2 and send nothing', async () => {
    const set = await cli([
      'queues',
      'notify',
      '--url',
      'https://asr.example.com/ci/callback',
      '--event',
      'taskfinish',
      '--result-format',
      'json',
    ]);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, / Active +2 +On Url https:\/\/asr\.example\.com\/ci\/callback TaskFinish JSON$/m);
    const listed = JSON.parse((await cli(['queues', 'list', '--json'])).out) as AsrQueuePage;
    assert.deepEqual(listed.queues[0]?.notifyConfig, {
      State: 'On',
      Type: 'Url',
      Url: 'https://asr.example.com/ci/callback',
      Event: 'TaskFinish',
      ResultFormat: 'JSON',
    });

    const puts = requests('PUT /asrqueue/:id');
    const bad: [string[], RegExp][] = [
      [['--url', 'ftp://x'], /notifyConfig\.Url must be an http\(s\) URL/],
      [['--url', 'https://x', '--event', 'JobDone'], /--event must be TaskFinish or WorkflowFinish \(got 'JobDone'\)/],
      [['--off', '--url', 'https://x'], /--off turns the callback off: drop --url/],
      [[], /Give --url \(or --mq-name for TDMQ\), or --off/],
      [['--mq-name', 'q', '--mq-region', 'xx'], /notifyConfig\.MqRegion/],
      [['--urll', 'https://x'], /Unknown option '--urll' for 'queues notify'. Did you mean '--url'\?/],
    ];
    for (const [flags, message] of bad) {
      const run = await cli(['queues', 'notify', ...flags]);
      assert.equal(run.code, 2, flags.join(' '));
      assert.match(run.err, message);
      assert.match(run.err, /Run 'npm run cli -- queues notify --help' for usage\.\n$/);
    }
    assert.equal(requests('PUT /asrqueue/:id'), puts, 'no update sent for bad flags');

    const off = await cli(['queues', 'notify', '--off', '--json']);
    assert.equal(off.code, 0, off.err);
    assert.equal(
      (JSON.parse(off.out) as { queue: { notifyConfig: { State: string } } }).queue.notifyConfig.State,
      'Off',
    );
  });

  it("never prints the receiver's queue token: the URL CI holds has it, the output shows it redacted", async () => {
    const token = 'q'.repeat(40);
    const url = `https://hooks.example.com/ci/queue?token=${token}`;
    const set = await cli(['queues', 'notify', '--url', url]);
    assert.equal(set.code, 0, set.err);
    const listed = await cli(['queues', 'list', '--json']);
    for (const out of [set.out, listed.out, (await cli(['queues', 'list'])).out]) {
      assert.ok(!out.includes(token), 'no token in the output');
      assert.match(out, /\/ci\/queue\?token=redacted/);
    }
    const held = await clients.setup.describeQueues({});
    assert.equal(held.queues[0]?.notifyConfig?.Url, url, 'CI was given the real URL');
    assert.equal((await cli(['queues', 'notify', '--off'])).code, 0);
  });

  it('templates create (flags and --from-json), list, use by TemplateId, delete; unknown id named with CI code', async () => {
    const flags = await cli([
      'templates',
      'create',
      'meetings',
      '--engine',
      '16k_zh',
      '--speaker-diarization',
      '--res-text-format',
      '3',
    ]);
    assert.equal(flags.code, 0, flags.err);
    const id = /^Created template +(t1[0-9a-f]{32})$/m.exec(flags.out)?.[1];
    assert.ok(id, flags.out);
    assert.match(flags.out, /SpeakerDiarization=1/);
    assert.match(flags.err, new RegExp(`--template ${id}`));

    const spec = file(
      'phone.json',
      JSON.stringify({ Name: 'phone', SpeechRecognition: { EngineModelType: '8k_zh', ChannelNum: 2 } }),
    );
    const fromJson = await cli(['templates', 'create', '--from-json', spec, '--json']);
    assert.equal(fromJson.code, 0, fromJson.err);
    const phone = (JSON.parse(fromJson.out) as { template: AsrTemplate }).template;
    assert.deepEqual([phone.name, phone.speechRecognition.ChannelNum], ['phone', '2']);

    const table = await cli(['templates', 'list']);
    assert.match(table.out, /^TEMPLATE ID +NAME +ENGINE +CHANNELS +CREATED$/m);
    assert.match(table.out, new RegExp(`^${id} +meetings +16k_zh +1 +\\S+$`, 'm'));
    assert.match(table.out, new RegExp(`^${phone.templateId} +phone +8k_zh +2 `, 'm'));
    assert.match((await cli(['templates', 'list', '--size', '1'])).out, /\n\n2 templates in all: see --page 2\n$/);
    const filtered = JSON.parse((await cli(['templates', 'list', '--name', 'pho', '--json'])).out) as {
      templates: AsrTemplate[];
    };
    assert.deepEqual(
      filtered.templates.map((t) => t.templateId),
      [phone.templateId],
    );

    const viaTemplate = await clients.ci.submit({
      ...job(),
      Operation: { TemplateId: id, Output: job().Operation.Output },
    });
    assert.equal(viaTemplate.Operation.TemplateId, id);

    const deleted = await cli(['templates', 'delete', id]);
    assert.equal(deleted.code, 0, deleted.err);
    assert.equal(deleted.out, `Deleted template ${id} in ${BUCKET} (${REGION}).\n`);
    assert.equal(await clients.setup.getTemplate(id), undefined, 'gone at the emulator');
    const again = await cli(['templates', 'delete', id, '--json']);
    assert.equal(again.code, 1);
    assert.match(
      again.err,
      new RegExp(`^error: CiError: CI deleteTemplate failed for ${id} in .*: TemplateNotFound \\(HTTP 400\\)`),
    );
    const links = (JSON.parse(again.out) as { error: { name: string; type?: string }[] }).error;
    assert.deepEqual([links[0]?.name, links[0]?.type], ['CiError', 'TemplateNotFound']);
  });

  it('templates create refuses bad parameters and files with exit 2, sending nothing', async () => {
    const posts = requests('POST /template');
    const json = file('bad.json', '{"Name": "x", "SpeechRecognition": {"EngineModelType": "16k_zh", "ChannelNum": 2}}');
    const cases: [string[], RegExp][] = [
      [['t', '--engine', '16k_zhh'], /--engine: unknown engine model '16k_zhh'\. Did you mean '16k_zh'\?/],
      [['t', '--channels', '2'], /SpeechRecognition\.ChannelNum .*only allowed with 8k_zh/],
      [['t', '--channels', '3'], /--channels must be a whole number from 1 to 2 \(got '3'\)/],
      [['t', '--output-file-type', 'doc'], /--output-file-type must be one of txt, srt/],
      [['--from-json', json, '--engine', '16k_zh'], /--from-json holds the parameters: drop the other template flags/],
      [['--from-json', json], /is not a valid template:\n {2}- SpeechRecognition\.ChannelNum/],
      [['--from-json', file('broken.json', '{')], /is not valid JSON/],
      [
        ['--from-json', join(scratch, 'missing.json')],
        /--from-json: cannot read .*missing\.json \(ENOENT\)\. Nothing was sent\./,
      ],
      [[], /needs a name \(or --from-json with a Name\)/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(['templates', 'create', ...argv]);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.err}`);
      assert.match(run.err, message);
    }
    assert.equal(requests('POST /template'), posts, 'no template request sent');
  });

  it('vocab create (--word and --from-file), list, delete refused while a template uses the table', async () => {
    const words = file('words.txt', '# product names\nTemporal|11\n\n云函数\n');
    const created = await cli(['vocab', 'create', 'names', '--word', '腾讯云|10', '--from-file', words, '--json']);
    assert.equal(created.code, 0, created.err);
    const { tableId } = JSON.parse(created.out) as { tableId: string };
    assert.deepEqual((await clients.setup.getHotVocabTable(tableId)).words, [
      { Vocabulary: '腾讯云', Weight: 10 },
      { Vocabulary: 'Temporal', Weight: 11 },
      { Vocabulary: '云函数', Weight: 10 },
    ]);
    const table = await cli(['vocab', 'list']);
    assert.match(table.out, /^TABLE ID +NAME +WORDS +WORD\|WEIGHT$/m);
    assert.match(table.out, new RegExp(`^${tableId} +names +3 +腾讯云\\|10 Temporal\\|11 云函数\\|10$`, 'm'));
    const page = JSON.parse((await cli(['vocab', 'list', '--limit', '5', '--json'])).out) as HotVocabTablePage;
    assert.ok(page.tables.some((t) => t.tableId === tableId));
    const more = JSON.parse((await cli(['vocab', 'create', 'more', '--word', 'x|1', '--json'])).out) as {
      tableId: string;
    };
    assert.match((await cli(['vocab', 'list', '--limit', '1'])).out, /\n\n2 tables in all: see --offset 1\n$/);
    assert.equal((await cli(['vocab', 'delete', more.tableId])).code, 0);

    const template = await cli(['templates', 'create', 'with-words', '--hot-vocab', tableId, '--json']);
    assert.equal(template.code, 0, template.err);
    const templateId = (JSON.parse(template.out) as { template: AsrTemplate }).template.templateId;
    const refused = await cli(['vocab', 'delete', tableId]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /^error: CiError: CI deleteHotVocabTable failed .*InvalidArgument.*used by template/);
    assert.equal((await cli(['templates', 'delete', templateId])).code, 0);
    const deleted = await cli(['vocab', 'delete', tableId, '--json']);
    assert.equal(deleted.code, 0, deleted.err);
    assert.deepEqual(JSON.parse(deleted.out), { deleted: tableId, bucket: BUCKET, region: REGION });
    assert.equal(
      (await clients.setup.listHotVocabTables()).tables.some((t) => t.tableId === tableId),
      false,
    );
  });

  it('vocab create refuses bad words with exit 2, sending nothing', async () => {
    const posts = requests('POST /asrhotvocabtable');
    const cases: [string[], RegExp][] = [
      [['x', '--word', '腾讯云|7x'], /--word '腾讯云\|7x': the weight must be a whole number/],
      [['x', '--word', '腾讯云|12'], /VocabularyWeights\[0\]\.Weight must be 1-10, 11 or 100/],
      [['x', '--word', '|3'], /has no word before the '\|'/],
      [['x'], /Give the words with --word <word\|weight> or --from-file/],
      [
        ['x', '--from-file', file('bad-words.txt', 'ok|5\nbad|x\n')],
        /line 2: 'bad\|x': the weight must be a whole number/,
      ],
      [['vocab', 'x'], /Unexpected argument\(s\) for 'vocab create': x/],
    ];
    for (const [argv, message] of cases) {
      const run = await cli(['vocab', 'create', ...argv]);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.err}`);
      assert.match(run.err, message);
    }
    assert.equal(requests('POST /asrhotvocabtable'), posts, 'no table request sent');
  });

  it('refuses wrong keys with the signature error named, and every good request above passed the signature check', async () => {
    const forged = createTencentClients({
      ...CREDS,
      secretKey: 'wrong',
      bucket: BUCKET,
      region: REGION,
      endpoint: emu.url,
    });
    const before = emu.counters().authRejections;
    const run = await cli(['queues', 'list'], () => forged);
    assert.equal(run.code, 1);
    assert.match(run.err, /^error: CiError: CI describeQueues failed .*InvalidAuthorization \(HTTP 401\)/);
    assert.ok(!run.err.includes('wrong'), 'the key is not echoed');
    const rejections = emu.counters().authRejections;
    const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    assert.equal(total(before), 0, 'no earlier request was refused by the signature check');
    assert.equal(total(rejections), 1);
  });

  it('the real executable: --json on stdout, a bad flag exits 2 with the usage hint, no stack traces', async () => {
    const env = {
      PATH: process.env.PATH ?? '',
      TENCENT_SECRET_ID: CREDS.secretId,
      TENCENT_SECRET_KEY: CREDS.secretKey,
      CI_BUCKET: BUCKET,
      CI_REGION: REGION,
      CI_ENDPOINT: emu.url,
    };
    const binary = (args: string[], variables: Record<string, string> = env) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        // A scratch working folder: no developer's .dev/cli.env is read.
        execFile(TSX, [CLI_MAIN, ...args], { env: variables, cwd: scratch, timeout: 60_000 }, (error, out, err) => {
          resolve({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, out, err });
        });
      });
    const status = await binary(['bucket', 'status', '--json']);
    assert.equal(status.code, 0, status.err);
    assert.equal((JSON.parse(status.out) as { bound: boolean }).bound, true);
    const usage = await binary(['queues', 'pause', '--bukcet', BUCKET]);
    assert.equal(usage.code, 2);
    assert.equal(
      usage.err,
      "error: Unknown option '--bukcet' for 'queues pause'. Did you mean '--bucket'?\nRun 'npm run cli -- queues pause --help' for usage.\n",
    );
    const missing = await binary(['templates', 'delete', 'tnope']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^error: CiError: CI deleteTemplate failed for tnope .*TemplateNotFound \(HTTP 400\)/);
    assert.doesNotMatch(missing.err, /\n\s+at /);
    const { TENCENT_SECRET_ID: _id, ...withoutId } = env;
    void _id;
    const config = await binary(['vocab', 'list'], withoutId);
    assert.equal(config.code, 2);
    assert.match(config.err, /TENCENT_SECRET_ID is required/);
  });
});
