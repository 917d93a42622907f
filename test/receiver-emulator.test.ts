import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../src/emulator';
import { silentWav, startEmulator } from '../src/emulator';
import type { RunningReceiver } from '../src/receiver/server';
import { startReceiver } from '../src/receiver/server';
import { callbackUrl, captureLogger, countingTemporal, TEST_SECRET } from './fixtures/receiver-helpers';
import { collectCiCallbacks } from './fixtures/receiver-workflows';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';

/** Obviously fake CI credentials for the emulator. */
const CREDENTIALS = { secretId: 'AKIDreceiverTEST', secretKey: 'receiver-test-ci-key' };
const BUCKET = 'receiver-1250000000';
const REGION = 'ap-guangzhou';

describe('callback receiver with the CI emulator posting real callbacks', () => {
  let temporal: TemporalTestServer;
  let receiver: RunningReceiver;
  let emulator: RunningEmulator;
  let worker: Worker;
  let workerDone: Promise<void>;
  const taskQueue = `receiver-emu-${randomUUID()}`;

  before(async () => {
    temporal = await startTemporalForTests();
    receiver = await startReceiver({
      secrets: [TEST_SECRET],
      temporal: countingTemporal(temporal.env.address, temporal.env.namespace).factory,
      logger: captureLogger().logger,
    });
    emulator = await startEmulator({
      credentials: CREDENTIALS,
      defaultBucket: BUCKET,
      defaultRegion: REGION,
      timings: { queuedMs: 10, runningMs: 20 },
    });
    worker = await Worker.create({
      connection: temporal.env.nativeConnection,
      namespace: temporal.env.namespace,
      taskQueue,
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./fixtures/receiver-workflows'),
        logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
      }),
    });
    workerDone = worker.run();
  });

  after(async () => {
    await emulator?.close();
    await receiver?.close();
    worker?.shutdown();
    await workerDone;
    await temporal?.teardown();
  });

  /** Submits a job whose CallBack is a URL minted for `workflowId`; resolves to the job id CI returned. */
  async function submitJob(workflowId: string, format: 'XML' | 'JSON'): Promise<string> {
    const key = `in/${randomUUID()}.wav`;
    emulator.putObject(BUCKET, key, silentWav(1));
    const body = COS.util.json2xml({
      Request: {
        Tag: 'SpeechRecognition',
        Input: { Object: key },
        Operation: {
          SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 },
          Output: { Bucket: BUCKET, Region: REGION, Object: `out/${randomUUID()}.txt` },
        },
        CallBack: callbackUrl(receiver.url, workflowId),
        CallBackFormat: format,
      },
    });
    const cos = new COS({ SecretId: CREDENTIALS.secretId, SecretKey: CREDENTIALS.secretKey });
    const answer: { Response?: { JobsDetail?: { JobId?: string } } } = await cos.request({
      Method: 'POST',
      Key: 'asr_jobs',
      Url: `${emulator.url}/asr_jobs`,
      Body: body,
      ContentType: 'application/xml',
    });
    const jobId = answer.Response?.JobsDetail?.JobId;
    assert.ok(jobId, 'the emulator returned a job id');
    return jobId;
  }

  for (const format of ['XML', 'JSON'] as const) {
    it(`delivers the emulator's ${format} callback to the workflow as a signal`, async () => {
      const handle = await temporal.env.client.workflow.start(collectCiCallbacks, {
        taskQueue,
        workflowId: `emu-${format}-${randomUUID()}`,
        args: [1],
      });
      const delivered = emulator.counters().callbacksDelivered;
      const jobId = await submitJob(handle.workflowId, format);
      const [got, ...rest] = await handle.result();
      assert.equal(rest.length, 0);
      assert.equal(got?.jobId, jobId);
      assert.equal(got?.state, 'Success');
      assert.equal(got?.code, 'Success');
      assert.ok(emulator.counters().callbacksDelivered > delivered, 'the emulator saw a 2xx answer');
    });
  }
});
