import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import type { TranscriptionResult } from '../../src/contract';
import type { LocalServices } from '../../devstack/local-services';
import type { EmulatedJobSummary } from './source';
import { emulatorJobs, objectExists, readJsonObject } from './source';

/**
 * What a chaos run must end as. `complete`: completed with a correct result. `complete-or-recorded-failure`: may also
 * fail (its deadline raced its submit), as long as every live CI job it made is recorded. `keep-success`: may end
 * cancelled or failed, but a job CI finished (`Success`, billed) must be kept: its manifest written, or its
 * transcript's location recorded by the run.
 */
export type Expectation = 'complete' | 'complete-or-recorded-failure' | 'keep-success';

/** One workflow a chaos phase started, and what it must end as. */
export interface RunPlan {
  workflowId: string;
  phase: string;
  /** The run's media object: unique per run, so the emulator's jobs for it are exactly the run's jobs. */
  mediaKey: string;
  /** Where the transcript and the manifest go (the workflow's defaults, or what the phase set). */
  outputKey: string;
  manifestKey: string;
  expect: Expectation;
  /** The harness cancelled the run after the emulator had finished its job (`Success`). */
  cancelledAfterSuccess?: boolean;
}

/** A planned run once it closed (or `STILL_OPEN` when its phase timed out). */
export type ChaosRun = RunPlan & { status: string };

/** The check of one workflow against the emulator's record and the object store. */
export interface RunVerdict {
  workflowId: string;
  phase: string;
  /** How Temporal says the run closed (`STILL_OPEN` when its phase gave up waiting), with its failure's type. */
  status: string;
  /** CI jobs for its media that were not cancelled before running; exactly one is correct. */
  jobs: number;
  /** Extra jobs for its media that a retried submit cancelled before they ran (never billed). */
  cancelledDuplicates: number;
  /** Extra live jobs of a completed run that its result records as duplicates (billed, but known). */
  recordedDuplicates: number;
  /** Extra live jobs of a completed run that its result does not record. Must be 0. */
  unrecordedDuplicates: number;
  /** Live jobs of a run that ended without a result and that neither its failure nor its memo records. Must be 0. */
  orphanedJobs: number;
  /** 1 when the result was found by the last check at the run's deadline. */
  keptAtDeadline: number;
  /** `Success` jobs of a run that ended without a result whose transcript was kept (manifest or recorded location). */
  successesKept: number;
  /** 1 when the harness cancelled the run after CI finished its job, and the success was kept anyway. */
  keptOnCancel: number;
  /** `Success` jobs of a `keep-success` run that nothing kept (no manifest, no recorded location). Must be 0. */
  successesLost: number;
  /** Empty when the run ended as its expectation allows. */
  problems: string[];
  completedBy?: 'callback' | 'poll';
}

/**
 * Everything a closed run tells its user about its jobs: its memo and every message and details object of its
 * failure's cause chain. A job id (or the transcript's key) found in there is recorded; the workflow's own verdicts
 * (`keptAtDeadline`, counts) are never taken from it.
 */
async function recordsOf(handle: WorkflowHandle, status: string): Promise<{ text: string; failureType?: string }> {
  const parts = [JSON.stringify((await handle.describe()).memo ?? {})];
  if (status === 'COMPLETED') return { text: parts.join('\n') };
  const failure = await handle.result().then(
    () => undefined,
    (err: unknown) => err,
  );
  let failureType: string | undefined;
  for (let cause: unknown = failure instanceof WorkflowFailedError ? failure.cause : failure; cause instanceof Error;) {
    failureType ??= (cause as { type?: string }).type ?? undefined;
    parts.push(cause.message, JSON.stringify((cause as { details?: unknown[] }).details ?? []));
    cause = cause.cause;
  }
  return { text: parts.join('\n'), failureType };
}

/** Problems of a completed run's result, read at the source: the emulator's job, the transcript, the manifest. */
async function resultProblems(
  services: LocalServices,
  jobs: ReadonlyMap<string, EmulatedJobSummary>,
  run: RunPlan,
  result: TranscriptionResult,
): Promise<string[]> {
  const problems: string[] = [];
  const job = jobs.get(result.jobId);
  if (!job) return [`job ${result.jobId} unknown to the emulator`];
  if (job.state !== 'Success') problems.push(`job ${result.jobId} is ${job.state}`);
  if (job.input?.object !== run.mediaKey) problems.push(`job ${result.jobId} transcribed another object`);
  const { resultObject, manifestObject } = result;
  if (!(await objectExists(services, resultObject.bucket, resultObject.key))) problems.push('result object missing');
  const manifest = await readJsonObject<{ jobId?: string }>(services, manifestObject.bucket, manifestObject.key);
  if (!manifest) problems.push('manifest missing or unreadable');
  else if (manifest.jobId !== result.jobId) problems.push(`manifest names job ${manifest.jobId}, not ${result.jobId}`);
  return problems;
}

/** Whether the paid result of `job` was kept: its manifest names it, or the run recorded where its transcript is. */
async function successKept(
  services: LocalServices,
  run: RunPlan,
  job: EmulatedJobSummary,
  records: string,
): Promise<boolean> {
  const manifest = await readJsonObject<{ jobId?: string }>(services, services.bucket, run.manifestKey);
  if (manifest?.jobId === job.jobId) return true;
  // The transcript's own key, not a longer key starting with it (the manifest's, named by a failed write's error).
  const named = new RegExp(`${run.outputKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w./-])`);
  return named.test(records) && (await objectExists(services, services.bucket, run.outputKey));
}

function emptyVerdict(run: ChaosRun, live: number, cancelled: number): RunVerdict {
  return {
    workflowId: run.workflowId,
    phase: run.phase,
    status: run.status,
    jobs: live,
    cancelledDuplicates: cancelled,
    recordedDuplicates: 0,
    unrecordedDuplicates: 0,
    orphanedJobs: 0,
    keptAtDeadline: 0,
    successesKept: 0,
    keptOnCancel: 0,
    successesLost: 0,
    problems: [],
  };
}

async function verifyCompleted(
  verdict: RunVerdict,
  services: LocalServices,
  jobs: ReadonlyMap<string, EmulatedJobSummary>,
  run: ChaosRun,
  live: readonly EmulatedJobSummary[],
  handle: WorkflowHandle,
): Promise<void> {
  const result = (await handle.result()) as TranscriptionResult;
  verdict.completedBy = result.completedBy;
  verdict.keptAtDeadline = result.keptAtDeadline ? 1 : 0;
  const recorded = new Set((result.duplicateJobs ?? []).map((duplicate) => duplicate.jobId));
  const extra = live.filter((job) => job.jobId !== result.jobId);
  verdict.recordedDuplicates = extra.filter((job) => recorded.has(job.jobId)).length;
  verdict.unrecordedDuplicates = extra.length - verdict.recordedDuplicates;
  verdict.problems.push(...(await resultProblems(services, jobs, run, result)));
  if (run.cancelledAfterSuccess && verdict.problems.length === 0) verdict.keptOnCancel = 1;
}

async function verifyUnfinished(
  verdict: RunVerdict,
  services: LocalServices,
  run: ChaosRun,
  live: readonly EmulatedJobSummary[],
  handle: WorkflowHandle,
): Promise<void> {
  const { text: records, failureType } = await recordsOf(handle, run.status);
  if (failureType) verdict.status = `${run.status}:${failureType}`;
  let unrecorded = live.filter((job) => !records.includes(job.jobId));
  if (run.expect === 'keep-success') {
    for (const job of live.filter((candidate) => candidate.state === 'Success')) {
      if (await successKept(services, run, job, records)) {
        verdict.successesKept += 1;
        unrecorded = unrecorded.filter((other) => other.jobId !== job.jobId);
      } else {
        verdict.successesLost += 1;
        verdict.problems.push(`paid result of job ${job.jobId} thrown away (no manifest, location not recorded)`);
      }
    }
    if (run.cancelledAfterSuccess && verdict.successesKept > 0 && verdict.successesLost === 0) verdict.keptOnCancel = 1;
  }
  verdict.orphanedJobs = unrecorded.length;
  const allowed = run.expect === 'complete' ? [] : run.expect === 'keep-success' ? ['FAILED', 'CANCELLED'] : ['FAILED'];
  if (!allowed.includes(run.status)) verdict.problems.push(`workflow ${run.status}`);
}

/**
 * Checks every run at the source, never by the workflow's word: its jobs are the emulator's jobs for its media
 * object; a completed run's job ended `Success` and its transcript and manifest (naming the job) exist; every other
 * live job is recorded (by the result as a duplicate, else by the failure or the memo); a `keep-success` run's
 * finished jobs were kept. Call with the emulator's faults cleared (the checks read objects through it).
 */
export async function verifyRuns(
  client: Client,
  services: LocalServices,
  runs: readonly ChaosRun[],
): Promise<RunVerdict[]> {
  const all = await emulatorJobs(services);
  const jobs = new Map(all.map((job) => [job.jobId, job]));
  const verdicts: RunVerdict[] = [];
  for (const run of runs) {
    const tagged = all.filter((job) => job.input?.object === run.mediaKey);
    const live = tagged.filter((job) => job.state !== 'Cancel');
    const verdict = emptyVerdict(run, live.length, tagged.length - live.length);
    const handle = client.workflow.getHandle(run.workflowId);
    // A run still open has not ended: its jobs are not orphaned (yet), and its result would never come.
    if (run.status === 'STILL_OPEN') verdict.problems.push('workflow STILL_OPEN');
    else if (run.status === 'COMPLETED') await verifyCompleted(verdict, services, jobs, run, live, handle);
    else await verifyUnfinished(verdict, services, run, live, handle);
    if (verdict.unrecordedDuplicates > 0 || verdict.orphanedJobs > 0) {
      verdict.problems.push(
        `${verdict.unrecordedDuplicates + verdict.orphanedJobs} live CI jobs for its media unrecorded`,
      );
    }
    verdicts.push(verdict);
  }
  return verdicts;
}
