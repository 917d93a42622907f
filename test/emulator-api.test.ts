import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { formatCiTime } from '../src/emulator/ci-time';
import { defaultQueueId } from '../src/emulator/job-engine';
import type { RunningEmulator } from '../src/emulator/index';
import { silentWav } from '../src/emulator/index';
import {
  at,
  BUCKET,
  ciBase,
  list,
  proxyClient,
  REGION,
  sdkRequest,
  startTestEmulator,
  submit,
  submitXml,
  text,
  waitForState,
} from './fixtures/emulator-helpers';

const OUTPUT = { Bucket: BUCKET, Region: REGION, Object: 'o.txt' };
const SPEECH = { EngineModelType: '16k_zh', ChannelNum: 1 };

/** Every submit the emulator must refuse, with the code and a fragment of the message. */
const INVALID_SUBMITS: Array<[string, string, string, RegExp]> = [
  ['empty body', '', 'MissingContent', /empty/],
  ['malformed XML', '<Request><Tag>SpeechRecognition</Tag>', 'InvalidArgument', /not well-formed/],
  ['wrong root', '<Foo><Tag>SpeechRecognition</Tag></Foo>', 'InvalidArgument', /<Request>/],
  ['missing Tag', submitXml({ extra: { Tag: '' } }), 'InvalidArgument', /Tag is required/],
  ['wrong Tag', submitXml({ extra: { Tag: 'Transcode' } }), 'InvalidArgument', /Tag "Transcode"/],
  ['no input', submitXml({ extra: { Input: { Object: '' } } }), 'InvalidArgument', /Input.Object or Input.Url/],
  ['bad input URL', submitXml({ extra: { Input: { Url: 'ftp://x/a' } } }), 'InvalidArgument', /Input.Url/],
  ['no Operation', submitXml({ extra: { Operation: '' } }), 'InvalidArgument', /Operation is required/],
  [
    'no SpeechRecognition',
    submitXml({ speech: '' as never }),
    'InvalidArgument',
    /SpeechRecognition or Operation.TemplateId/,
  ],
  // CI's own code for an unknown template (error code 1107; ci-wire-facts row 8, further difference 6).
  ['unknown template', submitXml({ operation: { TemplateId: 't1nope' } }), 'TemplateNotFound', /Template t1nope/],
  ['no engine', submitXml({ speech: { ChannelNum: 1 } }), 'InvalidArgument', /EngineModelType is required/],
  ['unknown engine', submitXml({ speech: { ...SPEECH, EngineModelType: '48k_xx' } }), 'InvalidArgument', /48k_xx/],
  ['no ChannelNum', submitXml({ speech: { EngineModelType: '16k_zh' } }), 'InvalidArgument', /ChannelNum is required/],
  [
    'ChannelNum 2 off 8k_zh',
    submitXml({ speech: { ...SPEECH, ChannelNum: 2 } }),
    'InvalidArgument',
    /only supported by engine 8k_zh/,
  ],
  ['ChannelNum 3', submitXml({ speech: { ...SPEECH, ChannelNum: 3 } }), 'InvalidArgument', /ChannelNum must be one of/],
  ['ResTextFormat 4', submitXml({ speech: { ...SPEECH, ResTextFormat: 4 } }), 'InvalidArgument', /ResTextFormat/],
  [
    'OutputFileType doc',
    submitXml({ speech: { ...SPEECH, OutputFileType: 'doc' } }),
    'InvalidArgument',
    /OutputFileType/,
  ],
  [
    'srt with format 3',
    submitXml({ speech: { ...SPEECH, ResTextFormat: 3, OutputFileType: 'srt' } }),
    'InvalidArgument',
    /ResTextFormat 3/,
  ],
  [
    'diarization 16k_en',
    submitXml({ speech: { EngineModelType: '16k_en', ChannelNum: 1, SpeakerDiarization: 1 } }),
    'InvalidArgument',
    /SpeakerDiarization/,
  ],
  [
    'SentenceMaxLength 3',
    submitXml({ speech: { ...SPEECH, SentenceMaxLength: 3 } }),
    'InvalidArgument',
    /SentenceMaxLength/,
  ],
  [
    'flash without Format',
    submitXml({ speech: { EngineModelType: '16k_zh', FlashAsr: 'true' } }),
    'InvalidArgument',
    /Format is required/,
  ],
  [
    'flash engine',
    submitXml({ speech: { EngineModelType: '16k_ja', FlashAsr: 'true', Format: 'wav' } }),
    'InvalidArgument',
    /flash ASR/,
  ],
  ['no Output', submitXml({ output: '' as never }), 'InvalidArgument', /Output is required/],
  ['Output fields', submitXml({ output: { Bucket: BUCKET } }), 'InvalidArgument', /missing Region, Object/],
  ['UserData 1025', submitXml({ operation: { UserData: 'u'.repeat(1025) } }), 'InvalidArgument', /1025 characters/],
  ['JobLevel 3', submitXml({ operation: { JobLevel: 3 } }), 'InvalidArgument', /JobLevel/],
  ['CallBackFormat', submitXml({ extra: { CallBackFormat: 'YAML' } }), 'InvalidArgument', /CallBackFormat/],
  ['CallBackType', submitXml({ extra: { CallBackType: 'Kafka' } }), 'InvalidArgument', /CallBackType/],
  ['CallBack URL', submitXml({ extra: { CallBack: 'not a url' } }), 'InvalidArgument', /CallBack must be/],
  ['TDMQ config', submitXml({ extra: { CallBackType: 'TDMQ' } }), 'InvalidArgument', /CallBackMqConfig/],
];

function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => assert.fail('expected the request to fail'),
    (err: unknown) => err,
  );
}

describe('emulator CI API rules', () => {
  let emulator: RunningEmulator;
  let cos: COS;
  before(async () => {
    // Jobs stay Submitted for a minute, so listing and cancelling see a stable set.
    emulator = await startTestEmulator({ timings: { queuedMs: 60_000, runningMs: 20 } });
    cos = proxyClient(emulator);
  });
  after(async () => {
    await emulator?.close();
  });

  it('refuses every invalid submit with a 400 CI error and creates no job', async () => {
    for (const [name, body, code, message] of INVALID_SUBMITS) {
      const err = await errorOf(submit(cos, body));
      assert.equal(at(err, 'statusCode'), 400, name);
      assert.equal(at(err, 'code'), code, name);
      assert.match(String(at(err, 'message')), message, name);
      assert.ok(text(err, 'error.RequestId'), name);
    }
    assert.equal(emulator.counters().jobsCreated, 0);
    const accepted = await submit(
      cos,
      submitXml({ speech: { EngineModelType: '8k_zh', ChannelNum: 2 }, operation: { UserData: 'u'.repeat(1024) } }),
    );
    assert.equal(accepted.statusCode, 200);
    const flash = submitXml({ speech: { EngineModelType: '16k_zh', FlashAsr: 'true', Format: 'mp3' }, output: OUTPUT });
    assert.equal((await submit(cos, flash)).statusCode, 200);
  });

  it('lists with every filter and pages through more than 100 jobs', async () => {
    const queueId = emulator.addQueue('paging-1250000000', `p${'a'.repeat(32)}`);
    const base = ciBase('paging-1250000000', REGION);
    for (let i = 0; i < 205; i++) {
      await submit(
        cos,
        submitXml({ operation: { UserData: `page-${i}` }, extra: i < 5 ? { QueueId: queueId } : {} }),
        base,
      );
    }
    // `queueId` is required on lists (DescribeSpeechJobs; further difference 13): the bucket's own queue by default.
    const ownQueue = defaultQueueId('paging-1250000000');
    const page = (query: Record<string, unknown>) =>
      sdkRequest(cos, {
        Method: 'GET',
        Key: 'asr_jobs',
        Url: `${base}/asr_jobs`,
        Query: { tag: 'SpeechRecognition', queueId: ownQueue, ...query },
      });
    const first = await page({ size: 100, orderByTime: 'Asc' });
    assert.equal(list(first.Response, 'JobsDetail').length, 100);
    assert.equal(text(list(first.Response, 'JobsDetail')[0], 'Operation.UserData'), 'page-5');
    const seen = list(first.Response, 'JobsDetail').map((d) => text(d, 'Operation.UserData'));
    let token = text(first.Response, 'NextToken');
    while (token) {
      const next = await page({ size: 100, orderByTime: 'Asc', nextToken: token });
      seen.push(...list(next.Response, 'JobsDetail').map((d) => text(d, 'Operation.UserData')));
      token = text(next.Response, 'NextToken');
    }
    assert.deepEqual(
      seen,
      Array.from({ length: 200 }, (_, i) => `page-${i + 5}`),
    );

    const defaults = await page({});
    assert.equal(list(defaults.Response, 'JobsDetail').length, 10);
    assert.equal(text(list(defaults.Response, 'JobsDetail')[0], 'Operation.UserData'), 'page-204');
    const byQueue = await page({ queueId, size: 100, states: 'Submitted,Running' });
    assert.equal(list(byQueue.Response, 'JobsDetail').length, 5);
    assert.equal(text(byQueue.Response, 'NextToken'), '');
    assert.equal(at((await page({ states: 'Success' })).Response, 'JobsDetail'), undefined);
    const now = Date.now();
    const inWindow = await page({
      size: 100,
      startCreationTime: formatCiTime(now - 60_000),
      endCreationTime: formatCiTime(now + 60_000),
    });
    assert.equal(list(inWindow.Response, 'JobsDetail').length, 100);
    const beforeAll = await page({ endCreationTime: formatCiTime(now - 60_000) });
    assert.equal(list(beforeAll.Response, 'JobsDetail').length, 0);
    for (const bad of [{ size: 101 }, { states: 'Done' }, { orderByTime: 'Random' }, { startCreationTime: 'today' }]) {
      const err = await errorOf(page(bad));
      assert.deepEqual([at(err, 'statusCode'), at(err, 'code')], [400, 'InvalidArgument'], JSON.stringify(bad));
    }
    const noTag = await errorOf(sdkRequest(cos, { Method: 'GET', Key: 'asr_jobs', Url: `${base}/asr_jobs` }));
    assert.equal(at(noTag, 'code'), 'InvalidArgument');
    const noQueue = await errorOf(page({ queueId: '' }));
    assert.deepEqual([at(noQueue, 'statusCode'), at(noQueue, 'code')], [400, 'InvalidArgument']);
    assert.match(String(at(noQueue, 'message')), /queueId is required/);
  });

  it('cancels a job before it starts and answers 200 with an empty body', async () => {
    const jobId = text((await submit(cos, submitXml({}))).Response, 'JobsDetail.JobId')!;
    const cancelled = await sdkRequest(cos, {
      Method: 'PUT',
      Key: `jobs/${jobId}`,
      Url: `${ciBase()}/jobs/${jobId}`,
      Action: 'cancel',
    });
    assert.equal(cancelled.statusCode, 200);
    assert.equal(cancelled.headers['content-length'], '0');
    const detail = await waitForState(cos, jobId, ['Cancel']);
    assert.notEqual(text(detail, 'EndTime'), '-');
    const again = await errorOf(
      sdkRequest(cos, { Method: 'PUT', Key: `jobs/${jobId}`, Url: `${ciBase()}/jobs/${jobId}`, Action: 'cancel' }),
    );
    assert.equal(at(again, 'code'), 'InvalidArgument');
    const unknown = await errorOf(
      sdkRequest(cos, { Method: 'PUT', Key: 'jobs/snope', Url: `${ciBase()}/jobs/snope`, Action: 'cancel' }),
    );
    assert.match(String(at(unknown, 'message')), /does not exist/);
  });
});

describe('emulator job timing', () => {
  it('refuses to cancel a running job, and honours queue concurrency', async () => {
    const emulator = await startTestEmulator({ timings: { queuedMs: 0, runningMs: 60_000 }, queueConcurrency: 1 });
    try {
      const cos = proxyClient(emulator);
      const first = text((await submit(cos, submitXml({}))).Response, 'JobsDetail.JobId')!;
      const second = text((await submit(cos, submitXml({}))).Response, 'JobsDetail.JobId')!;
      const running = await waitForState(cos, first, ['Running']);
      assert.notEqual(text(running, 'StartTime'), '-');
      const refused = await errorOf(
        sdkRequest(cos, { Method: 'PUT', Key: `jobs/${first}`, Url: `${ciBase()}/jobs/${first}`, Action: 'cancel' }),
      );
      assert.equal(at(refused, 'statusCode'), 400);
      assert.match(String(at(refused, 'message')), /state Running/);
      const waiting = at(
        (await sdkRequest(cos, { Method: 'GET', Key: `asr_jobs/${second}`, Url: `${ciBase()}/asr_jobs/${second}` }))
          .Response,
        'JobsDetail',
      );
      assert.equal(text(waiting, 'State'), 'Submitted');
    } finally {
      await emulator.close();
    }
  });

  it('holds jobs of a paused queue in Pause, cancels them, and runs them when the queue resumes', async () => {
    const queueId = `p${'b'.repeat(32)}`;
    const emulator = await startTestEmulator({ queues: [{ queueId }], faults: { pausedQueues: [queueId] } });
    try {
      emulator.putObject(BUCKET, 'in/a.wav', silentWav(1));
      const cos = proxyClient(emulator);
      const first = await submit(cos, submitXml({ extra: { QueueId: queueId } }));
      assert.equal(text(first.Response, 'JobsDetail.State'), 'Pause');
      assert.equal(text(first.Response, 'JobsDetail.QueueId'), queueId);
      const firstId = text(first.Response, 'JobsDetail.JobId')!;
      const secondId = text(
        (await submit(cos, submitXml({ extra: { QueueId: queueId } }))).Response,
        'JobsDetail.JobId',
      )!;
      const cancelled = await sdkRequest(cos, {
        Method: 'PUT',
        Key: `jobs/${firstId}`,
        Url: `${ciBase()}/jobs/${firstId}`,
        Action: 'cancel',
      });
      assert.equal(cancelled.statusCode, 200);
      emulator.setFaults({ pausedQueues: [] });
      assert.equal(text(await waitForState(cos, secondId, ['Success', 'Failed']), 'State'), 'Success');
      assert.equal(text(await waitForState(cos, firstId, ['Cancel']), 'State'), 'Cancel');
    } finally {
      await emulator.close();
    }
  });

  it('reports AudioTime from a WAV header and estimates other media from their size', async () => {
    const emulator = await startTestEmulator();
    try {
      const cos = proxyClient(emulator);
      emulator.putObject(BUCKET, 'stereo.wav', silentWav(1.234, 8000, 2));
      // An MPEG-1 Layer III frame header, then silence: media by its leading bytes, its length estimated.
      emulator.putObject(
        BUCKET,
        'clip.mp3',
        Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x00]), Buffer.alloc(39_996)]),
      );
      const audioTime = async (object: string) => {
        const jobId = text((await submit(cos, submitXml({ object }))).Response, 'JobsDetail.JobId')!;
        const done = await waitForState(cos, jobId, ['Success', 'Failed']);
        return text(done, 'Operation.SpeechRecognitionResult.AudioTime');
      };
      assert.equal(await audioTime('stereo.wav'), '1.234');
      assert.equal(await audioTime('clip.mp3'), '2.500');
    } finally {
      await emulator.close();
    }
  });

  it('fails a job whose input is not audio or video, with a code and a message, and bills no result', async () => {
    for (const code of ['InvalidMediaFormat', 'ResourceDownloadFailed'] as const) {
      const emulator = await startTestEmulator({ variants: { undecodableMediaCode: code } });
      try {
        const cos = proxyClient(emulator);
        emulator.putObject(BUCKET, 'README.md', '# not media\n');
        emulator.putObject(BUCKET, 'zeros.wav', Buffer.alloc(64));
        for (const object of ['README.md', 'zeros.wav']) {
          const jobId = text((await submit(cos, submitXml({ object }))).Response, 'JobsDetail.JobId')!;
          const done = await waitForState(cos, jobId, ['Success', 'Failed']);
          assert.deepEqual([text(done, 'State'), text(done, 'Code')], ['Failed', code], object);
          assert.match(text(done, 'Message') ?? '', /not an audio or video file/, object);
          assert.equal(at(done, 'Operation.SpeechRecognitionResult'), undefined, object);
        }
      } finally {
        await emulator.close();
      }
    }
  });
});
