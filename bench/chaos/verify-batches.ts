import type { LocalServices } from '../../devstack/local-services';
import type { BatchItemOutcome } from '../../src/contract';
import type { EmulatedJobSummary } from './source';
import { emulatorJobs, readJsonObject } from './source';

/** One batch a chaos phase ran, once it closed (or `STILL_OPEN` when it never did). */
export interface BatchRun {
  workflowId: string;
  phase: string;
  /** Every media key the batch was given. */
  keys: string[];
  manifestKey: string;
  /** Keys whose item the harness terminated from outside (any outcome is right for those, but it must be listed). */
  terminatedKeys: string[];
  /** For a re-run under the same id: every job the emulator held before it started (the re-run's jobs are new). */
  jobsBeforeRerun?: ReadonlySet<string>;
  status: string;
}

/** The check of one batch against the object store (its manifest) and the emulator's jobs. */
export interface BatchVerdict {
  workflowId: string;
  phase: string;
  /** How Temporal says the batch's latest run closed (`STILL_OPEN` when its phase gave up waiting). */
  status: string;
  /** 1 when the batch was still open when its phase gave up on it (it waits for an item that will never report). */
  hung: number;
  /** Keys the final manifest lists other than exactly once, or lists as succeeded without a `Success` job for them. */
  itemsUnaccounted: number;
  /** Keys of a re-run for which CI holds no new `Success` job (the re-run did not transcribe them). */
  rerunItemsNotTranscribed: number;
  problems: string[];
}

/** Whether the manifest entry of `key` is a success the emulator confirms (a new job, for a re-run). */
function confirmedSuccess(
  entry: BatchItemOutcome,
  key: string,
  jobs: ReadonlyMap<string, EmulatedJobSummary>,
  before: ReadonlySet<string> | undefined,
): boolean {
  const job = entry.jobId ? jobs.get(entry.jobId) : undefined;
  return (
    entry.status === 'succeeded' &&
    job?.state === 'Success' &&
    job.input?.object === key &&
    !(before?.has(job.jobId) ?? false)
  );
}

async function verifyBatch(
  services: LocalServices,
  all: readonly EmulatedJobSummary[],
  batch: BatchRun,
): Promise<BatchVerdict> {
  const verdict: BatchVerdict = {
    workflowId: batch.workflowId,
    phase: batch.phase,
    status: batch.status,
    hung: batch.status === 'STILL_OPEN' ? 1 : 0,
    itemsUnaccounted: 0,
    rerunItemsNotTranscribed: 0,
    problems: batch.status === 'COMPLETED' ? [] : [`batch ${batch.status}`],
  };
  const jobs = new Map(all.map((job) => [job.jobId, job]));
  const before = batch.jobsBeforeRerun;
  if (before) {
    const transcribed = (key: string) =>
      all.some((job) => job.input?.object === key && job.state === 'Success' && !before.has(job.jobId));
    verdict.rerunItemsNotTranscribed = batch.keys.filter((key) => !transcribed(key)).length;
    if (verdict.rerunItemsNotTranscribed > 0) {
      verdict.problems.push(
        `re-run transcribed ${batch.keys.length - verdict.rerunItemsNotTranscribed} of ${batch.keys.length} items`,
      );
    }
  }
  const manifest = await readJsonObject<{ items?: BatchItemOutcome[] }>(services, services.bucket, batch.manifestKey);
  if (!manifest?.items) {
    verdict.itemsUnaccounted = batch.keys.length;
    verdict.problems.push('final manifest missing');
    return verdict;
  }
  for (const key of batch.keys) {
    const entries = manifest.items.filter((item) => item.key === key);
    const entry = entries[0];
    const right =
      entries.length === 1 &&
      entry !== undefined &&
      (batch.terminatedKeys.includes(key) || confirmedSuccess(entry, key, jobs, before));
    if (right) continue;
    verdict.itemsUnaccounted += 1;
    if (verdict.problems.length < 5) {
      verdict.problems.push(`manifest lists ${key} ${entries.length} times${entry ? ` (${entry.status})` : ''}`);
    }
  }
  return verdict;
}

/**
 * Checks every batch at the source: closed as completed; its final manifest (read from the object store) lists every
 * key exactly once, each as a success the emulator confirms (a `Success` job for that media, new for a re-run), except
 * items the harness terminated (listed, whatever their outcome). Call with the emulator's faults cleared.
 */
export async function verifyBatches(services: LocalServices, batches: readonly BatchRun[]): Promise<BatchVerdict[]> {
  const all = await emulatorJobs(services);
  const verdicts: BatchVerdict[] = [];
  for (const batch of batches) verdicts.push(await verifyBatch(services, all, batch));
  return verdicts;
}
