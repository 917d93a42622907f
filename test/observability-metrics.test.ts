import { ciQuotaTaskQueue } from '../src/shared/constants';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { findFreePort } from '../devstack/free-port';
import { WORKER_HISTOGRAM_BUCKETS, WorkerMetric } from '../src/observability/metric-names';
import { bundleTranscriptionWorkflows } from '../src/worker-setup/transcription-worker';
import { FailureType } from '../src/shared/failure-types';
import type { TranscribeMediaInput } from '../src';
import { transcribeMedia } from '../src/workflows';
import { sampleValue } from './helpers/prometheus';
import type { TestStack } from './helpers/stack';
import { startStack, TEST_BUCKET } from './helpers/stack';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

describe('business metrics on the worker and receiver endpoints after a known sequence of runs', () => {
  let metricsUrl: string;
  let temporal: TemporalTestServer;
  let stack: TestStack;

  before(async () => {
    // The worker's Prometheus endpoint, as `WORKER_METRICS_BIND_ADDRESS` sets it up in production.
    const port = await findFreePort();
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: {
        metrics: {
          prometheus: { bindAddress: `127.0.0.1:${port}`, histogramBucketOverrides: WORKER_HISTOGRAM_BUCKETS },
        },
      },
    });
    metricsUrl = `http://127.0.0.1:${port}/metrics`;
    temporal = await startTemporalForTests();
    stack = await startStack(temporal, { workflowBundle: await bundleTranscriptionWorkflows(), callbacks: true });
  });
  after(async () => {
    await stack?.stop();
    await temporal?.teardown();
  });

  async function run(input: Omit<TranscribeMediaInput, 'media' | 'recognition'>, audioSeconds: number, dir = 'audio') {
    const key = `${dir}/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(audioSeconds));
    stack.emulator.putObject(TEST_BUCKET, `${key}${TRANSCRIPT_SUFFIX}`, 'metered');
    const handle = await stack.client.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId: `metered-${randomUUID()}`,
      args: [{ ...input, media: { object: key }, recognition }],
    });
    return { key, result: handle.result() };
  }

  it('counts submits, adoptions, outcomes, callback vs poll, CI errors, latency and audio seconds', async () => {
    const slow = { firstDelay: '1 hour', maxInterval: '2 hours' };
    // 1. Callback path, 2 s of audio.
    assert.equal((await (await run({ polling: slow }, 2)).result).completedBy, 'callback');
    // 2. Poll path, 3 s of audio.
    const polled = await run({ callback: { enabled: false }, polling: { firstDelay: '100ms', jitter: 0 } }, 3);
    assert.equal((await polled.result).completedBy, 'poll');
    // 3. The submit's response is lost: the attempt fails on a CI network error and the retry adopts the job; 4 s.
    stack.emulator.setFaults({ loseSubmitResponses: 1 });
    assert.equal((await (await run({ polling: slow }, 4)).result).completedBy, 'callback');
    // 4. CI fails the job.
    const doomed = `doomed-${randomUUID()}`;
    stack.emulator.setFaults({ failJobs: [{ code: 'AudioDecodeFailed', message: 'bad audio', inputPattern: doomed }] });
    await assert.rejects((await run({ polling: slow }, 1, doomed)).result);
    stack.emulator.setFaults({ failJobs: [] });

    const text = await (await fetch(metricsUrl)).text();
    console.log(
      text
        .split('\n')
        .filter((l) => l.includes('ci_asr'))
        .join('\n'),
    );
    const value = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(text, name, { taskQueue: stack.taskQueue, ...labels });
    assert.equal(value(WorkerMetric.jobsSubmitted), 3);
    assert.equal(value(WorkerMetric.jobsAdopted), 1);
    assert.equal(value(WorkerMetric.transcriptionsFinished, { outcome: 'completed', completed_by: 'callback' }), 2);
    assert.equal(value(WorkerMetric.transcriptionsFinished, { outcome: 'completed', completed_by: 'poll' }), 1);
    assert.equal(
      value(WorkerMetric.transcriptionsFinished, { outcome: FailureType.CiJobFailed, completed_by: 'none' }),
      1,
    );
    assert.equal(value(`${WorkerMetric.submitToResult}_count`, { completed_by: 'callback' }), 2);
    assert.equal(value(`${WorkerMetric.submitToResult}_count`, { completed_by: 'poll' }), 1);
    assert.equal(value(`${WorkerMetric.audioDuration}_sum`), 9);
    assert.equal(value(`${WorkerMetric.audioDuration}_count`), 3);
    // A lone run's submit runs on the CI quota queue, whose worker counts its CI errors under that task queue.
    const onQuotaQueue = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(text, name, { taskQueue: ciQuotaTaskQueue(stack.taskQueue), ...labels });
    assert.equal(onQuotaQueue(WorkerMetric.ciErrors, { code: 'ECONNRESET', action: 'submit' }), 1);
    assert.equal(onQuotaQueue(WorkerMetric.ciErrors), 1);
    assert.equal(value(WorkerMetric.ciErrors), undefined);
    assert.equal(value(WorkerMetric.duplicateJobs), undefined);

    // The receiver: three callbacks signalled (runs 1, 3 and 4; run 2 had none), one forged request refused.
    const forged = await fetch(`${stack.receiver!.url}/ci/callback/metered-forged`, { method: 'POST', body: '{}' });
    assert.equal(forged.status, 401);
    const receiver = async () => (await stack.receiver!.metrics.render()).body;
    await waitFor('three accepted callbacks', async () =>
      sampleValue(await receiver(), 'ci_callback_accepted_total') === 3 ? true : undefined,
    );
    const exposition = await receiver();
    assert.equal(sampleValue(exposition, 'ci_callback_rejected_total', { reason: 'token_missing' }), 1);
    assert.equal(sampleValue(exposition, 'ci_callback_rejected_total'), 1);
    assert.equal(sampleValue(exposition, 'ci_callback_signal_duration_seconds_count', { outcome: 'ok' }), 3);
  });
});
