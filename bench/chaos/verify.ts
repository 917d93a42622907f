import type { Client } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import type { CleanupReport, TranscriptionResult } from '../../src/contract';
import { jobTagFor } from '../../src/activities/submit/tag';
import type { LocalServices } from '../../devstack/local-services';
import type { ClosedRun } from './phase';

/** The emulator's record of one job (`GET /_emulator/jobs`). */
interface EmulatedJobSummary {
  jobId: string;
  state: string;
  userData?: string;
}

/** The check of one workflow against the emulator's record. */
export interface RunVerdict {
  workflowId: string;
  /** CI jobs carrying this workflow's tag that were not cancelled before running; exactly one is correct. */
  jobs: number;
  /** Extra jobs with its tag that a retried submit cancelled before they ran (never billed). */
  cancelledDuplicates: number;
  /** Extra live jobs of a completed run that its result records as duplicates (billed, but known). */
  recordedDuplicates: number;
  /** Extra live jobs of a completed run that its result does not record. Must be 0. */
  unrecordedDuplicates: number;
  /** Live jobs with its tag of a run that ended without a result and whose failure does not record them. Must be 0. */
  orphanedJobs: number;
  /** 1 when the result was found by the last check at the run's deadline. */
  keptAtDeadline: number;
  /** Empty when the run completed correctly. */
  problems: string[];
  completedBy?: 'callback' | 'poll';
}

/** The step name `transcribeMedia` tags its one CI job with (see the workflow's `SUBMIT_STEP`). */
const SUBMIT_STEP = 'transcribe';

async function emulatorJobs(services: LocalServices): Promise<EmulatedJobSummary[]> {
  const answer = await fetch(`${services.emulator.url}/_emulator/jobs`);
  return (await answer.json()) as EmulatedJobSummary[];
}

/** The tag the submit activity gave this workflow's job: it hashes the first run's id (the run that submits). */
async function tagOf(client: Client, namespace: string, workflowId: string): Promise<string> {
  const description = await client.workflow.getHandle(workflowId).describe();
  const runId = description.raw.workflowExecutionInfo?.firstRunId || description.runId;
  return jobTagFor({ namespace, workflowId, runId }, SUBMIT_STEP);
}

async function objectExists(services: LocalServices, bucket: string, key: string): Promise<boolean> {
  return (await services.clients.objects.head({ Bucket: bucket, Region: services.region, Key: key })) !== undefined;
}

async function resultProblems(
  services: LocalServices,
  jobs: ReadonlyMap<string, EmulatedJobSummary>,
  tag: string,
  result: TranscriptionResult,
): Promise<string[]> {
  const problems: string[] = [];
  const job = jobs.get(result.jobId);
  if (!job) return [`job ${result.jobId} unknown to the emulator`];
  if (job.state !== 'Success') problems.push(`job ${result.jobId} is ${job.state}`);
  if (job.userData !== tag) problems.push(`job ${result.jobId} belongs to another workflow`);
  const { resultObject, manifestObject } = result;
  if (!(await objectExists(services, resultObject.bucket, resultObject.key))) problems.push('result object missing');
  try {
    const manifest = JSON.parse(
      (
        await services.clients.objects.get({
          Bucket: manifestObject.bucket,
          Region: services.region,
          Key: manifestObject.key,
        })
      ).toString(),
    ) as { jobId?: string };
    if (manifest.jobId !== result.jobId) problems.push(`manifest names job ${manifest.jobId}, not ${result.jobId}`);
  } catch (err) {
    problems.push(`manifest unreadable: ${(err as Error).message}`);
  }
  return problems;
}

/** Job ids a failed run's failure details record as left in CI (its cleanup's findings). */
async function recordedByFailure(result: Promise<unknown>): Promise<Set<string>> {
  const err = await result.then(
    () => undefined,
    (e: unknown) => e,
  );
  const recorded = new Set<string>();
  for (let cause: unknown = err instanceof WorkflowFailedError ? err.cause : err; cause instanceof Error;) {
    const details = (cause as { details?: unknown[] }).details?.[0] as { jobId?: string; cleanup?: CleanupReport };
    for (const left of details?.cleanup?.uncancelled ?? []) recorded.add(left.jobId);
    cause = cause.cause;
  }
  return recorded;
}

/**
 * Checks every run: closed as completed, every live (not cancelled) CI job with its tag but the result's recorded as a
 * duplicate (a failed run: recorded by its cleanup), the result's job ended
 * `Success` in the emulator, the transcript and the manifest exist, and the manifest names the job.
 * Call with the emulator's faults cleared (the checks read objects through it).
 */
export async function verifyRuns(
  client: Client,
  services: LocalServices,
  namespace: string,
  runs: readonly ClosedRun[],
): Promise<RunVerdict[]> {
  const all = await emulatorJobs(services);
  const jobs = new Map(all.map((job) => [job.jobId, job]));
  const verdicts: RunVerdict[] = [];
  for (const run of runs) {
    const tag = await tagOf(client, namespace, run.workflowId);
    const tagged = all.filter((job) => job.userData === tag);
    const live = tagged.filter((job) => job.state !== 'Cancel');
    const verdict: RunVerdict = {
      workflowId: run.workflowId,
      jobs: live.length,
      cancelledDuplicates: tagged.length - live.length,
      recordedDuplicates: 0,
      unrecordedDuplicates: 0,
      orphanedJobs: 0,
      keptAtDeadline: 0,
      problems: [],
    };
    const handle = client.workflow.getHandle(run.workflowId);
    if (run.status !== 'COMPLETED') {
      verdict.problems.push(`workflow ${run.status}`);
      // A run still open has not ended: its jobs are not orphaned (yet), and its result would never come.
      if (run.status !== 'STILL_OPEN') {
        const recorded = await recordedByFailure(handle.result());
        verdict.orphanedJobs = live.filter((job) => !recorded.has(job.jobId)).length;
      }
    } else {
      const result = (await handle.result()) as TranscriptionResult;
      verdict.completedBy = result.completedBy;
      verdict.keptAtDeadline = result.keptAtDeadline ? 1 : 0;
      const recorded = new Set((result.duplicateJobs ?? []).map((duplicate) => duplicate.jobId));
      const extra = live.filter((job) => job.jobId !== result.jobId);
      verdict.recordedDuplicates = extra.filter((job) => recorded.has(job.jobId)).length;
      verdict.unrecordedDuplicates = extra.length - verdict.recordedDuplicates;
      verdict.problems.push(...(await resultProblems(services, jobs, tag, result)));
    }
    if (verdict.unrecordedDuplicates > 0 || verdict.orphanedJobs > 0) {
      verdict.problems.push(
        `${verdict.unrecordedDuplicates + verdict.orphanedJobs} live CI jobs with its tag unrecorded`,
      );
    }
    verdicts.push(verdict);
  }
  return verdicts;
}
