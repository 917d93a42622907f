// The batch phases of issue 25: items terminated from outside after their batch continued as new, and a batch re-run
// under the same workflow id after a failed run. What each batch must end as is checked by `verify-batches.ts`.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { LocalStack } from '../../devstack/local-stack';
import { silentWav } from '../../src/emulator';
import type { TranscribeBatchInput } from '../../src';
import { transcribeBatch } from '../../src/workflows';
import { BENCH_RECOGNITION } from '../lib/bench-stack';
import { progress } from '../lib/runtime';
import { phaseFaults } from './money-phases';
import { awaitClosed } from './phase';
import { emulatorJobs } from './source';
import type { BatchRun } from './verify-batches';

/** Time a batch gets to close once nothing holds its items any more. */
const BATCH_TIMEOUT_MS = 2 * 60_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `count` media objects under a fresh prefix, and the batch input over them. */
function batchOf(stack: LocalStack, phase: string, count: number, extra: Partial<TranscribeBatchInput>) {
  const id = randomUUID();
  const prefix = `chaos/${phase}/${id}/`;
  const keys = Array.from({ length: count }, (_, i) => `${prefix}item-${i}.wav`);
  for (const key of keys) stack.services.emulator.putObject(stack.services.bucket, key, silentWav(1));
  const workflowId = `chaos-${phase}-${id}`;
  const manifestKey = `chaos-out/${phase}/${id}.manifest.json`;
  const input: TranscribeBatchInput = {
    source: { keys },
    recognition: BENCH_RECOGNITION,
    outputKeyTemplate: `chaos-out/${phase}/${id}/{key}.{ext}`,
    manifestKey,
    item: { polling: { firstDelay: '2s', maxInterval: '5s' }, activityAttemptTimeout: '5s' },
    ...extra,
  };
  return { workflowId, prefix, keys, manifestKey, input };
}

async function startBatch(stack: LocalStack, workflowId: string, input: TranscribeBatchInput): Promise<void> {
  await stack.client.workflow.start(transcribeBatch, { taskQueue: stack.taskQueue, workflowId, args: [input] });
}

/**
 * Waits until the batch has continued as new while its first item runs (so that item is carried by a later run);
 * returns the item's workflow id, or undefined when that never happened. Item ids are `<batch>/item-<n>` on main and
 * `<batch>/<first run id>/item-<n>` once ids carry the chain's first run (issue 25): both are tried.
 */
async function carriedFirstItem(client: Client, batchId: string): Promise<string | undefined> {
  const until = Date.now() + BATCH_TIMEOUT_MS;
  while (Date.now() < until) {
    const batch = await client.workflow.getHandle(batchId).describe();
    const firstRunId = batch.raw.workflowExecutionInfo?.firstRunId;
    if (firstRunId && batch.runId !== firstRunId) {
      for (const itemId of [`${batchId}/${firstRunId}/item-0`, `${batchId}/item-0`]) {
        const item = await client.workflow
          .getHandle(itemId)
          .describe()
          .catch(() => undefined);
        if (item?.status.name === 'RUNNING') return itemId;
      }
    }
    await sleep(500);
  }
  return undefined;
}

/**
 * Items terminated from outside: 6 items, 3 at once, 2 started per run, jobs held `Running` by the emulator until
 * the first item has been carried over a continue-as-new; then that item is terminated and the jobs released. The
 * batch must still end (completed, the terminated item recorded), never wait forever.
 */
export async function batchTerminatePhase(stack: LocalStack, count: number): Promise<BatchRun[]> {
  progress(`chaos: batch-terminate: ${count} batches, a carried item of each terminated`);
  const batches = Array.from({ length: count }, () =>
    batchOf(stack, 'batch-terminate', 6, { maxInFlight: 3, ciConcurrency: 3, itemsPerRun: 2 }),
  );
  phaseFaults(stack, { holdJobs: batches.map((batch) => escapeRegExp(batch.prefix)) });
  for (const batch of batches) await startBatch(stack, batch.workflowId, batch.input);
  const terminatedKeys = new Map<string, string[]>();
  for (const batch of batches) {
    const itemId = await carriedFirstItem(stack.client, batch.workflowId);
    if (!itemId) {
      progress(`chaos: batch-terminate: ${batch.workflowId} never carried its first item; nothing terminated`);
      continue;
    }
    await stack.client.workflow.getHandle(itemId).terminate('chaos: an item terminated from outside');
    terminatedKeys.set(batch.workflowId, [batch.keys[0]!]);
  }
  phaseFaults(stack);
  const closed = await awaitClosed(
    stack.client,
    batches.map((batch) => batch.workflowId),
    Date.now() + BATCH_TIMEOUT_MS,
  );
  return batches.map((batch, i) => ({
    workflowId: batch.workflowId,
    phase: 'batch-terminate',
    keys: batch.keys,
    manifestKey: batch.manifestKey,
    terminatedKeys: terminatedKeys.get(batch.workflowId) ?? [],
    status: closed[i]!.status,
  }));
}

/**
 * A batch re-run under the same workflow id (a nightly id reused after a failed run): the first run has
 * `failOnItemFailure` and its first item's job fails (forced by the emulator), so the batch fails; the same id is then
 * started again with the same input and no fault. The re-run must transcribe every item anew.
 */
export async function batchRerunPhase(stack: LocalStack, count: number): Promise<BatchRun[]> {
  progress(`chaos: batch-rerun: ${count} batches failed once, then re-run under the same id`);
  const batches = Array.from({ length: count }, () =>
    batchOf(stack, 'batch-rerun', 4, { maxInFlight: 4, ciConcurrency: 4, failOnItemFailure: true }),
  );
  const failJobs = batches.map((batch) => ({
    code: 'InternalError',
    message: 'chaos: the first item of the first run fails',
    inputPattern: escapeRegExp(batch.keys[0]!),
  }));
  phaseFaults(stack, { failJobs });
  for (const batch of batches) await startBatch(stack, batch.workflowId, batch.input);
  const ids = batches.map((batch) => batch.workflowId);
  const first = await awaitClosed(stack.client, ids, Date.now() + BATCH_TIMEOUT_MS);
  progress(`chaos: batch-rerun: first runs ${first.map((run) => run.status).join(', ')}; re-running`);
  phaseFaults(stack);
  const before = new Set((await emulatorJobs(stack.services)).map((job) => job.jobId));
  for (const batch of batches) await startBatch(stack, batch.workflowId, batch.input);
  const closed = await awaitClosed(stack.client, ids, Date.now() + BATCH_TIMEOUT_MS);
  return batches.map((batch, i) => ({
    workflowId: batch.workflowId,
    phase: 'batch-rerun',
    keys: batch.keys,
    manifestKey: batch.manifestKey,
    terminatedKeys: [],
    jobsBeforeRerun: before,
    status: closed[i]!.status,
  }));
}
