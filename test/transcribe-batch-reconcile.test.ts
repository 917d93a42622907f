/**
 * Batches that cannot hang or lie (issue 25, hole 5), on a real dev server and the emulator: a failure reported
 * while a run continues as new, items closed without reporting, a re-run under the same workflow id, manifest writes
 * failing for a while, and a batch failure that is not a cancel. Runs are forced to continue as new with
 * `itemsPerRun: 1`; an item is held in the middle of its job with the emulator's `holdJobs`, a manifest part kept
 * from being written with `failObjectWrites`. Item ids are read from the batch's own history (its child starts).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { silentWav } from '../src/emulator';
import { FailureType } from '../src/shared/failure-types';
import type { BatchItemOutcome, TranscribeBatchInput } from '../src';
import { batchProgressQuery, transcribeBatch } from '../src/workflows';
import { TEST_BUCKET, TEST_REGION, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_en', ChannelNum: 1 } } as const;
const polling = { firstDelay: '100ms', maxInterval: '300ms' } as const;
/** A hang guard for waits that cross several continue-as-new runs on a loaded machine. */
const LONG = 300_000;

interface JobSummary {
  queueId: string;
  state: string;
  input?: unknown;
}

type BatchHandle = WorkflowHandleWithFirstExecutionRunId<typeof transcribeBatch>;

describe('transcribeBatch never hangs or lies', () => {
  const suite = useTestStack();
  const emulator = () => suite.stack.emulator;
  const client = () => suite.stack.client;

  function seed(folder: string, count: number): string[] {
    const keys = Array.from({ length: count }, (_, i) => `${folder}/clip-${i}.wav`);
    for (const key of keys) emulator().putObject(TEST_BUCKET, key, silentWav(1));
    return keys;
  }

  async function start(input: TranscribeBatchInput, workflowId = `batch-${randomUUID()}`): Promise<BatchHandle> {
    return await client().workflow.start(transcribeBatch, {
      taskQueue: suite.stack.taskQueue,
      workflowId,
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
  function jobsPerKey(folder: string): Record<string, number> {
    return Object.fromEntries(
      Object.entries(emulator().counters().jobsByInputObject).filter(([input]) => input.includes(`${folder}/`)),
    );
  }

  /** Part writes the emulator refused so far. */
  const refusedWrites = () => emulator().counters().faultsInjected['PUT object:writeFails'] ?? 0;

  /** The item workflow ids one run of a batch started, in order, read from that run's history. */
  async function itemsStartedBy(workflowId: string, runId: string): Promise<string[]> {
    const { events } = await client().workflow.getHandle(workflowId, runId).fetchHistory();
    return (events ?? []).flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
  }

  async function statusOf(workflowId: string): Promise<string> {
    return (await client().workflow.getHandle(workflowId).describe()).status.name;
  }

  async function failureOf(handle: BatchHandle): Promise<unknown> {
    return await handle.result().then(
      () => assert.fail('expected the batch to fail'),
      (e: unknown) => e,
    );
  }

  /**
   * Starts a batch of `count` keys whose runs start one item each (window 2): clip-0 is held at CI, so the first run's
   * item is carried over every continue-as-new. Returns once a later run than the first is current.
   */
  async function startCarrying(folder: string, count: number, extra: Partial<TranscribeBatchInput> = {}) {
    const keys = seed(folder, count);
    emulator().setFaults({ holdJobs: [`${folder}/clip-0\\.wav`] });
    const handle = await start({
      source: { keys },
      recognition,
      maxInFlight: 2,
      ciConcurrency: 2,
      itemsPerRun: 1,
      item: { polling },
      ...extra,
    });
    await waitFor('the batch to continue as new', async () =>
      (await handle.describe()).runId !== handle.firstExecutionRunId ? true : undefined,
    );
    const [first] = await itemsStartedBy(handle.workflowId, handle.firstExecutionRunId);
    assert.ok(first);
    return { keys, handle, first };
  }

  it('a failing item that reports while the run continues as new fails the batch (failOnItemFailure)', async () => {
    const folder = `flag/${randomUUID()}`;
    const manifestKey = `${folder}/batch.manifest.json`;
    // The manifest's parts cannot be written: the run that records clip-1 and fills up stays in its flush.
    emulator().setFaults({ failObjectWrites: [`^${manifestKey.replace(/[.]/g, '\\.')}\\.part-`] });
    const refusedBefore = refusedWrites();
    try {
      const { handle, first } = await startCarrying(folder, 5, { failOnItemFailure: true, manifestKey });
      await waitFor('a run writing its manifest part before continuing as new', () =>
        refusedWrites() > refusedBefore ? true : undefined,
      );
      // Now clip-0's job fails: its item reports while the run is still writing the part.
      emulator().setFaults({
        failJobs: [{ code: 'InternalError', message: 'emulated', inputPattern: `${folder}/clip-0\\.wav` }],
        holdJobs: [],
      });
      await waitFor('the failing item to end', async () => ((await statusOf(first)) === 'FAILED' ? true : undefined));
      emulator().setFaults({ failObjectWrites: [] });

      const err = await failureOf(handle);
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure, String(err));
      assert.equal(err.cause.type, FailureType.BatchItemFailed);
      const details = err.cause.details?.[0] as { failedItem: BatchItemOutcome };
      assert.equal(details.failedItem.key, `${folder}/clip-0.wav`);
      // Nothing started after the failure: clip-3 and clip-4 were never billed.
      const billed = Object.keys(jobsPerKey(folder));
      assert.ok(!billed.some((input) => /clip-[34]\.wav/.test(input)), billed.join());
    } finally {
      emulator().setFaults({ failObjectWrites: [], failJobs: [], holdJobs: [] });
    }
  });

  it('an item carried over a continue-as-new and terminated is recorded, and the batch completes', async () => {
    const folder = `terminated/${randomUUID()}`;
    const { handle, first, keys } = await startCarrying(folder, 3);
    await client().workflow.getHandle(first).terminate('operator ended it');
    // The batch's own progress says when every item has an outcome; without reconciling it stays at running=1.
    await waitFor(
      'every item recorded',
      async () => {
        const p = await handle.query(batchProgressQuery);
        return p.running === 0 && p.succeeded + p.failed === keys.length ? p : undefined;
      },
      LONG,
    );
    const result = await handle.result();
    assert.deepEqual([result.total, result.succeeded, result.failed], [3, 2, 1]);
    const items = await readManifest(result.manifestObject.key);
    const ended = items.find((i) => i.workflowId === first);
    assert.equal(ended?.status, 'failed');
    assert.match(ended?.error?.message ?? '', /terminated/);
    assert.deepEqual(items.map((i) => i.key).sort(), [...keys].sort());
    emulator().setFaults({ holdJobs: [] });
  });

  it('cancelling a batch whose carried item was terminated ends the batch, recording the item', async () => {
    const folder = `terminated-cancel/${randomUUID()}`;
    const { handle, first } = await startCarrying(folder, 4, { manifestKey: `${folder}/batch.manifest.json` });
    await client().workflow.getHandle(first).terminate('operator ended it');
    await handle.cancel();
    // Without reconciling, the batch waits for the terminated item's report forever.
    await waitFor(
      'the batch to end',
      async () => ((await statusOf(handle.workflowId)) === 'RUNNING' ? undefined : true),
      LONG,
    );
    const err = await failureOf(handle);
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure, String(err));
    const items = await readManifest(`${folder}/batch.manifest.json`);
    assert.match(items.find((i) => i.workflowId === first)?.error?.message ?? '', /terminated/);
    emulator().setFaults({ holdJobs: [] });
  });

  it('a batch run again under the same workflow id transcribes its items again', async () => {
    const folder = `rerun/${randomUUID()}`;
    const keys = seed(folder, 2);
    const workflowId = `nightly-${randomUUID()}`;
    const input: TranscribeBatchInput = { source: { keys }, recognition, maxInFlight: 2, item: { polling } };
    const first = await (await start(input, workflowId)).result();
    assert.deepEqual([first.succeeded, first.failed], [2, 0]);
    const again = await (await start(input, workflowId)).result();
    assert.deepEqual([again.succeeded, again.failed], [2, 0]);
    assert.deepEqual(Object.values(jobsPerKey(folder)), [2, 2]);
  });

  it('a manifest write failing for a while, then a cancel, loses no outcome', async () => {
    const folder = `flush/${randomUUID()}`;
    const manifestKey = `${folder}/batch.manifest.json`;
    emulator().setFaults({ failObjectWrites: [`^${manifestKey.replace(/[.]/g, '\\.')}\\.part-`] });
    const refusedBefore = refusedWrites();
    try {
      const { handle } = await startCarrying(folder, 5, { manifestKey });
      await waitFor('a run writing its manifest part before continuing as new', () =>
        refusedWrites() > refusedBefore ? true : undefined,
      );
      await handle.cancel();
      // The current run has taken the cancel (a workflow task completed after the request) before writes work again.
      await waitFor('the cancel taken by the batch', async () => {
        const { runId } = await handle.describe();
        const { events } = await client().workflow.getHandle(handle.workflowId, runId).fetchHistory();
        const asked = (events ?? []).findIndex((e) => e.workflowExecutionCancelRequestedEventAttributes);
        const taken = asked >= 0 && (events ?? []).slice(asked).some((e) => e.workflowTaskCompletedEventAttributes);
        return taken ? true : undefined;
      });
      emulator().setFaults({ failObjectWrites: [], holdJobs: [] });
      const err = await failureOf(handle);
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure, String(err));
      const items = await readManifest(manifestKey);
      const billed = Object.keys(jobsPerKey(folder)).map((input) => input.replace(/^.*?(flush\/)/, '$1'));
      // Every item that ran has its outcome in the manifest; clip-1 succeeded before the cancel.
      assert.deepEqual(items.map((i) => i.key).sort(), billed.sort());
      assert.equal(items.find((i) => i.key === `${folder}/clip-1.wav`)?.status, 'succeeded');
    } finally {
      emulator().setFaults({ failObjectWrites: [], holdJobs: [] });
    }
  });

  it('a batch failure that is not a cancel cancels its running items and their CI jobs', async () => {
    const folder = `listing/${randomUUID()}`;
    const queueId = emulator().addQueue();
    emulator().setFaults({ pausedQueues: [queueId] });
    // Pages of 200 objects: two media keys each, then fillers, so every page starts two items at most.
    for (const page of ['a', 'b', 'c']) {
      for (const n of [0, 1]) emulator().putObject(TEST_BUCKET, `${folder}/${page}-${n}.wav`, silentWav(1));
      for (let n = 0; n < 198; n++) emulator().putObject(TEST_BUCKET, `${folder}/${page}-${1000 + n}.txt`, 'x');
    }
    try {
      const handle = await start({
        source: { prefix: `${folder}/` },
        recognition,
        maxInFlight: 2,
        ciConcurrency: 2,
        item: { queueId, polling },
      });
      await waitFor('two jobs waiting in the paused queue, and the second page listed', async () => {
        const waiting = (await jobs()).filter((j) => j.queueId === queueId && j.state === 'Pause').length;
        return waiting === 2 && (await handle.query(batchProgressQuery)).total === 4 ? true : undefined;
      });
      // The next listing is refused for good: a permanent failure of the batch, not a cancel.
      emulator().setFaults({ routes: { 'GET bucket': { deniedShare: 1 } } });
      const [item0] = await itemsStartedBy(handle.workflowId, handle.firstExecutionRunId);
      await client().workflow.getHandle(item0!).cancel(); // frees a slot: the batch starts b-0, then lists on
      const err = await failureOf(handle);
      assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ActivityFailure, String(err));
      const started = await itemsStartedBy(handle.workflowId, handle.firstExecutionRunId);
      const items = started.filter((id) => id !== item0);
      assert.equal(items.length, 2);
      for (const id of items) {
        await waitFor(`${id} to close`, async () => ((await statusOf(id)) === 'RUNNING' ? undefined : true));
        assert.equal(await statusOf(id), 'CANCELLED');
      }
      const states = (await jobs()).filter((j) => j.queueId === queueId).map((j) => j.state);
      assert.ok(!states.includes('Pause'), states.join());
    } finally {
      emulator().setFaults({ routes: {}, pausedQueues: [] });
    }
  });
});
