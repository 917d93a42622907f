/**
 * The batch window across continue-as-new and within CI's quotas, on a real dev server and the emulator. The
 * emulator's queue runs 2 jobs at once (its `MaxConcurrent`), so every batch here is capped at 2 by the queue.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { silentWav } from '../src/emulator';
import { FailureType } from '../src/shared/failure-types';
import type { BatchItemOutcome, TranscribeBatchInput } from '../src';
import { batchProgressQuery, transcribeBatch } from '../src/workflows';
import { batchItemWorkflowId } from '../src/workflows/transcribe-batch/naming';
import { TEST_BUCKET, TEST_REGION, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_en', ChannelNum: 1 } } as const;
const QUEUE_MAX_CONCURRENT = 2;

interface JobSummary {
  queueId: string;
  state: string;
  input?: unknown;
}

describe('transcribeBatch window', () => {
  const suite = useTestStack({ emulator: { queueConcurrency: QUEUE_MAX_CONCURRENT } });
  const emulator = () => suite.stack.emulator;

  function seed(folder: string, count: number): string[] {
    const keys = Array.from({ length: count }, (_, i) => `${folder}/clip-${i}.wav`);
    for (const key of keys) emulator().putObject(TEST_BUCKET, key, silentWav(1));
    return keys;
  }

  async function start(input: TranscribeBatchInput) {
    return await suite.stack.client.workflow.start(transcribeBatch, {
      taskQueue: suite.stack.taskQueue,
      workflowId: `batch-${randomUUID()}`,
      args: [input],
    });
  }

  async function jobs(): Promise<JobSummary[]> {
    return (await fetch(`${emulator().url}/_emulator/jobs`).then((r) => r.json())) as JobSummary[];
  }

  async function readManifest(key: string): Promise<BatchItemOutcome[]> {
    const body = await suite.stack.clients.objects.get({ Bucket: TEST_BUCKET, Region: TEST_REGION, Key: key });
    return (JSON.parse(body.toString()) as { items: BatchItemOutcome[] }).items;
  }

  /** Jobs per input key at the emulator, for the keys of `folder`. */
  function jobsPerKey(folder: string): number[] {
    return Object.entries(emulator().counters().jobsByInputObject)
      .filter(([input]) => input.includes(`${folder}/`))
      .map(([, count]) => count);
  }

  it('keeps sliding across continue-as-new while a slow item runs, and runs every item exactly once', async () => {
    const folder = `slide/${randomUUID()}`;
    const keys = seed(folder, 7);
    // clip-0's job runs until released: the other six must all finish around it, through several continue-as-new.
    emulator().setFaults({ holdJobs: [`${folder}/clip-0\\.wav`] });
    const handle = await start({
      source: { keys },
      recognition,
      maxInFlight: 5,
      itemsPerRun: 2,
      item: { polling: { firstDelay: '200ms', maxInterval: '500ms' } },
    });
    const progress = await waitFor(
      'six items done around the slow one',
      async () => {
        const p = await handle.query(batchProgressQuery);
        return p.succeeded === 6 ? p : undefined;
      },
      // A hang guard: six items through several continue-as-new take minutes when every workflow task waits its turn.
      300_000,
    );
    assert.equal(progress.running, 1);
    assert.equal(progress.concurrencyCap, QUEUE_MAX_CONCURRENT);
    const slowJob = (await jobs()).find((j) => JSON.stringify(j.input).includes(`${folder}/clip-0.wav`));
    assert.equal(slowJob?.state, 'Running');
    // The slow item was started by the first run, and the batch is several runs further on.
    const slowItem = await suite.stack.client.workflow
      .getHandle(batchItemWorkflowId(handle.workflowId, handle.firstExecutionRunId, 0))
      .describe();
    assert.equal(slowItem.status.name, 'RUNNING');
    assert.equal(slowItem.parentExecution?.runId, handle.firstExecutionRunId);
    const current = await handle.describe();
    assert.notEqual(current.runId, handle.firstExecutionRunId);

    emulator().setFaults({ holdJobs: [] });
    const result = await handle.result();
    assert.deepEqual([result.total, result.succeeded, result.failed], [7, 7, 0]);
    const items = await readManifest(result.manifestObject.key);
    assert.deepEqual(items.map((i) => i.key).sort(), [...keys].sort());
    assert.deepEqual(jobsPerKey(folder), [1, 1, 1, 1, 1, 1, 1]);
  });

  it('failOnItemFailure cancels the running items and their CI jobs, and writes the manifest', async () => {
    // A queue of the emulator's (it refuses unknown ones, as CI does), paused so the items' jobs wait there.
    const queueId = emulator().addQueue();
    emulator().setFaults({ pausedQueues: [queueId] });
    const folder = `fail/${randomUUID()}`;
    const keys = seed(folder, 4);
    const handle = await start({
      source: { keys },
      recognition,
      maxInFlight: 3,
      ciConcurrency: 3,
      failOnItemFailure: true,
      manifestKey: `${folder}/batch.manifest.json`,
      item: { queueId, polling: { firstDelay: '100ms', maxInterval: '200ms' } },
    });
    await waitFor('three jobs held in the paused queue', async () =>
      (await jobs()).filter((j) => j.queueId === queueId && j.state === 'Pause').length === 3 ? true : undefined,
    );
    // One item ends badly (here: someone cancels it); the batch must stop the other two at once.
    await suite.stack.client.workflow
      .getHandle(batchItemWorkflowId(handle.workflowId, handle.firstExecutionRunId, 0))
      .cancel();
    const err = await handle.result().then(
      () => assert.fail('expected the batch to fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure);
    assert.equal(err.cause.type, FailureType.BatchItemFailed);
    const states = (await jobs()).filter((j) => j.queueId === queueId).map((j) => j.state);
    assert.deepEqual(states, ['Cancel', 'Cancel', 'Cancel']);
    const items = await readManifest(`${folder}/batch.manifest.json`);
    assert.equal(items.length, 3);
    assert.ok(items.every((i) => i.status === 'failed'));
    // The fourth item was never started.
    assert.equal(jobsPerKey(folder).length, 3);
    emulator().setFaults({ pausedQueues: [] });
  });

  it('backs off throttled submits without failing items or submitting twice', async () => {
    const folder = `throttle/${randomUUID()}`;
    const keys = seed(folder, 4);
    // Every submit answered 503 SlowDown until the SDK has given up at least once (4 attempts each): the submit
    // activity must back off and try again, and no item may fail.
    const throttled = () => emulator().counters().faultsInjected['POST /asr_jobs:throttle'] ?? 0;
    const before = throttled();
    emulator().setFaults({ routes: { 'POST /asr_jobs': { throttleShare: 1 } } });
    try {
      const handle = await start({
        source: { keys },
        recognition,
        maxInFlight: 4,
        item: { polling: { firstDelay: '100ms', maxInterval: '200ms' } },
      });
      await waitFor('an SDK call to give up on throttling', () => (throttled() - before >= 4 ? true : undefined));
      emulator().setFaults({ routes: {} });
      const result = await handle.result();
      assert.deepEqual([result.succeeded, result.failed], [4, 0]);
    } finally {
      emulator().setFaults({ routes: {} });
    }
    assert.deepEqual(jobsPerKey(folder), [1, 1, 1, 1]);
  });

  it('never has more CI jobs unfinished than the queue runs at once', async () => {
    await fetch(`${emulator().url}/_emulator/reset-counters`, { method: 'POST' });
    const folder = `cap/${randomUUID()}`;
    const keys = seed(folder, 6);
    // Every job runs until released, so the window fills to the cap however slowly this machine submits; what is read
    // below is the emulator's count of jobs and the batch's own progress, never how long anything took.
    emulator().setFaults({ holdJobs: [`${folder}/`] });
    try {
      const handle = await start({
        source: { keys },
        recognition,
        maxInFlight: 6,
        item: { polling: { firstDelay: '100ms', maxInterval: '200ms' } },
      });
      const full = await waitFor('the window to fill to the queue cap', async () => {
        const p = await handle.query(batchProgressQuery);
        return p.running === QUEUE_MAX_CONCURRENT && jobsPerKey(folder).length === QUEUE_MAX_CONCURRENT ? p : undefined;
      });
      assert.equal(full.concurrencyCap, QUEUE_MAX_CONCURRENT);
      assert.equal(full.waitingForQuota, 'ci-concurrency');
      assert.equal(emulator().counters().peakActiveJobs, QUEUE_MAX_CONCURRENT);
      emulator().setFaults({ holdJobs: [] });
      const result = await handle.result();
      assert.equal(result.succeeded, 6);
      assert.equal(emulator().counters().peakActiveJobs, QUEUE_MAX_CONCURRENT);
      assert.deepEqual(jobsPerKey(folder), [1, 1, 1, 1, 1, 1]);
      const progress = await handle.query(batchProgressQuery);
      assert.equal(progress.concurrencyCap, QUEUE_MAX_CONCURRENT);
      assert.equal(progress.waitingForQuota, undefined);
    } finally {
      emulator().setFaults({ holdJobs: [] });
    }
  });
});
