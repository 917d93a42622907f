/**
 * A second foreign client: the ASR calls of Tencent's own JS demos (`tencentyun/cos-js-sdk-v5` @ bab1ee3,
 * `demo/CIDemos/asr.js` and `demo/CIDemos/taskAndWorkflow.js`), made as the demos make them — `cos.request` with the
 * same keys, URLs, query and `COS.util.json2xml` bodies — against the emulator. The only change is the endpoint: the
 * demos' `https://` URLs become `http://` ones sent through the emulator as the SDK's proxy (the emulator speaks no
 * TLS), and `config.Bucket`/`config.Region` are the emulator's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../src/emulator';
import { at, BUCKET, CREDS, list, REGION, startTestEmulator, text, waitForState } from './fixtures/emulator-helpers';

const config = { Bucket: BUCKET, Region: REGION };

/** The demo's callback style, as a promise: `cos.request(params, (err, data) => …)`. */
function request(cos: COS, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    // The SDK's error is a plain object with `statusCode`, `code` and `message`, passed on as it is.
    cos.request(params as never, (err: unknown, data: unknown) =>
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      err ? reject(err) : resolve(data as Record<string, unknown>),
    );
  });
}

/** `postSpeechRecognition` (asr.js): the demo's body, verbatim. */
function speechRecognitionBody(): string {
  return COS.util.json2xml({
    Request: {
      Tag: 'SpeechRecognition',
      Input: { Object: 'ci/music.mp3' },
      Operation: {
        SpeechRecognition: {
          EngineModelType: '16k_zh_video',
          ChannelNum: 1,
          ResTextFormat: 0,
          FilterDirty: 1,
          FilterModal: 1,
          ConvertNumMode: 0,
        },
        Output: { Bucket: config.Bucket, Region: config.Region, Object: 'ci/out/SpeechRecognition.mp3' },
      },
    },
  });
}

/** `DescribeMediaJobs` (taskAndWorkflow.js) with the demo's query; its tag example (Animation) set to ASR's. */
function listJobs(cos: COS, extra: Record<string, string> = {}) {
  const key = 'jobs';
  const host = `${config.Bucket}.ci.${config.Region}.myqcloud.com`;
  return request(cos, {
    Method: 'GET',
    Key: key,
    Url: `http://${host}/${key}`,
    Query: { tag: 'SpeechRecognition', workflowId: '', size: 10, states: 'All', ...extra },
  });
}

describe("Tencent's JS demo calls for ASR against the emulator", () => {
  let emulator: RunningEmulator;
  let cos: COS;
  before(async () => {
    emulator = await startTestEmulator({ asrBuckets: [] });
    // An MPEG-1 Layer III frame header, then silence: the demo's ci/music.mp3.
    emulator.putObject(
      BUCKET,
      'ci/music.mp3',
      Buffer.concat([Buffer.from([0xff, 0xfb, 0x90, 0x00]), Buffer.alloc(32_000)]),
    );
    cos = new COS({ SecretId: CREDS.secretId, SecretKey: CREDS.secretKey, Proxy: emulator.url, Protocol: 'http:' });
  });
  after(async () => emulator?.close());

  it('bucket status, bind, queue describe and update, submit, get and list, as the demos send them', async () => {
    // getAsrBucket: the region host, every filter left out as in the demo.
    const key = 'asrbucket';
    const regionHost = `ci.${config.Region}.myqcloud.com`;
    const status = await request(cos, { Method: 'GET', Key: key, Url: `http://${regionHost}/${key}`, Query: {} });
    assert.equal(text(status.Response, 'RequestId'), at(status.headers, 'x-ci-request-id'));
    assert.deepEqual(list(status.Response, 'AsrBucketList'), []);

    // CreateAsrBucket.
    const bucketHost = `${config.Bucket}.ci.${config.Region}.myqcloud.com`;
    const created = await request(cos, { Method: 'POST', Key: key, Url: `http://${bucketHost}/${key}` });
    assert.equal(text(created.Response, 'AsrBucket.BucketId'), BUCKET);
    const bound = await request(cos, { Method: 'GET', Key: key, Url: `http://${regionHost}/${key}`, Query: {} });
    assert.equal(text(bound.Response, 'AsrBucketList.BucketId'), BUCKET);

    // getAsrQueue.
    const queues = await request(cos, {
      Method: 'GET',
      Key: 'asrqueue',
      Url: `http://${bucketHost}/asrqueue`,
      Query: {},
    });
    const queueId = text(queues.Response, 'QueueList.QueueId')!;
    assert.match(queueId, /^p[0-9a-f]{32}$/);
    assert.equal(text(queues.Response, 'QueueList.BucketId'), BUCKET);

    // updateAsrQueue: the demo's body (NotifyConfig with State Off only), then back to Active.
    const update = (State: string) =>
      request(cos, {
        Method: 'PUT',
        Key: 'asrqueue/' + queueId,
        Url: 'http://' + config.Bucket + '.ci.' + config.Region + '.myqcloud.com/asrqueue/' + queueId,
        Body: COS.util.json2xml({
          Request: { Name: 'queue-doc-process-1', QueueID: queueId, State, NotifyConfig: { State: 'Off' } },
        }),
        ContentType: 'application/xml',
      });
    const paused = await update('Paused');
    assert.deepEqual(
      [text(paused.Response, 'Queue.Name'), text(paused.Response, 'Queue.State')],
      ['queue-doc-process-1', 'Paused'],
    );
    assert.equal((await update('Active')).statusCode, 200);

    // postSpeechRecognition.
    const submitted = await request(cos, {
      Method: 'POST',
      Key: 'jobs',
      Url: `http://${bucketHost}/jobs`,
      Body: speechRecognitionBody(),
      ContentType: 'application/xml',
    });
    const jobId = text(submitted.Response, 'JobsDetail.JobId')!;
    assert.equal(text(submitted.Response, 'JobsDetail.State'), 'Submitted');
    assert.equal(text(submitted.Response, 'JobsDetail.Operation.SpeechRecognition.ConvertNumMode'), '0');

    // getJobDetail.
    const detail = await request(cos, {
      Method: 'GET',
      Key: `jobs/${jobId}`,
      Url: `http://${bucketHost}/jobs/${jobId}`,
    });
    assert.equal(text(detail.Response, 'JobsDetail.JobId'), jobId);
    const done = await waitForState(cos, jobId, ['Success', 'Failed']);
    assert.equal(text(done, 'State'), 'Success');
    assert.equal(text(done, 'Operation.SpeechRecognitionResult.AudioTime'), '2.000');

    // DescribeMediaJobs: the demo sends no queueId, which DescribeSpeechJobs documents as required: refused by the
    // strict emulator (docs/emulator.md, further 13); with the queue the demo's commented `queueId` names, listed.
    await assert.rejects(listJobs(cos), { statusCode: 400, code: 'InvalidArgument', message: /queueId is required/ });
    const listed = await listJobs(cos, { queueId });
    assert.deepEqual(
      list(listed.Response, 'JobsDetail').map((j) => text(j, 'JobId')),
      [jobId],
    );

    // DeleteAsrBucket: RequestId and BucketName (ci-wire-facts row 2).
    const deleted = await request(cos, { Method: 'DELETE', Key: key, Url: `http://${bucketHost}/${key}` });
    assert.deepEqual(Object.keys(deleted.Response as object), ['RequestId', 'BucketName']);
    assert.equal(text(deleted.Response, 'BucketName'), BUCKET);
  });

  it("lists with the demo's query unchanged when the emulator accepts a list without queueId (variant)", async () => {
    const lenient = await startTestEmulator({ variants: { listQueueId: 'optional' } });
    try {
      const viaLenient = new COS({
        SecretId: CREDS.secretId,
        SecretKey: CREDS.secretKey,
        Proxy: lenient.url,
        Protocol: 'http:',
      });
      const listed = await listJobs(viaLenient);
      assert.equal(listed.statusCode, 200);
      assert.deepEqual(list(listed.Response, 'JobsDetail'), []);
    } finally {
      await lenient.close();
    }
  });
});
