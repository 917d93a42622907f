import { log, metricMeter } from '@temporalio/activity';
import { CiError } from '../../ci/errors';
import { isTerminalCiJobState } from '../../ci/job-state';
import type { AsrJob } from '../../ci/types';
import { countDuplicateJob } from '../../observability/activity-metrics';
import { WorkerMetric } from '../../observability/metric-names';
import type { CiJobsApi } from '../deps';
import type { CleanupReport, DuplicateJob } from '../../contract';

/**
 * Asks CI to cancel `job`, and says what became of it. A refusal of any kind (auth, a 4xx, a network error) is an
 * answer here, not a failure: the job is then recorded as one CI may bill, and the caller carries on.
 */
async function cancelOrRecord(ci: CiJobsApi, job: AsrJob, signal: AbortSignal | undefined): Promise<DuplicateJob> {
  if (job.State === 'Cancel') return { jobId: job.JobId, state: job.State, cancel: 'cancelled' };
  // A finished job cannot be cancelled; asking would only cost a request.
  if (isTerminalCiJobState(job.State)) return { jobId: job.JobId, state: job.State, cancel: 'not-cancellable' };
  try {
    const { outcome, state } = await ci.cancel(job.JobId, { signal });
    return { jobId: job.JobId, state: outcome === 'cancelled' ? 'Cancel' : (state ?? job.State), cancel: outcome };
  } catch (err) {
    if (signal?.aborted) throw err;
    const error = err instanceof CiError ? `${err.code}: ${err.message}` : (err as Error).message;
    return { jobId: job.JobId, state: job.State, cancel: 'error', error };
  }
}

/** Counts the jobs a failed run's cleanup could not cancel (`ci_asr_uncancelled_jobs`): CI may bill them. */
function countUncancelled(n: number): void {
  if (n <= 0) return;
  try {
    metricMeter
      .createCounter(WorkerMetric.uncancelledJobs, 'jobs', 'CI jobs of failed runs CI would not cancel')
      .add(n);
  } catch {
    // Outside a worker (tests with a mock context) there may be no meter; the job is recorded in the result anyway.
  }
}

/** Cancels `others` (duplicates of the step's kept job) while CI allows it; the ones it refuses are returned too. */
export async function sweepDuplicates(
  ci: CiJobsApi,
  keptJobId: string | undefined,
  others: readonly AsrJob[],
  signal: AbortSignal | undefined,
): Promise<DuplicateJob[]> {
  const duplicates: DuplicateJob[] = [];
  for (const job of others) {
    const duplicate = await cancelOrRecord(ci, job, signal);
    duplicates.push(duplicate);
    const level = duplicate.cancel === 'cancelled' ? 'info' : 'warn';
    log[level]('Duplicate CI job of this step', { ...duplicate, kept: keptJobId });
    countDuplicateJob(duplicate.cancel);
  }
  return duplicates;
}

/**
 * Keeps the oldest of a step's tagged jobs and cancels the others while CI still allows it. An earlier attempt's
 * request may have created a job after this one looked (CI answered late, or the response was lost), so every
 * attempt sweeps after it submits. Duplicates CI refuses to cancel are returned, never dropped: they are billed.
 */
export async function keepOldestTaggedJob(
  ci: CiJobsApi,
  tagged: readonly AsrJob[],
  signal: AbortSignal | undefined,
): Promise<{ kept: AsrJob | undefined; duplicates: DuplicateJob[] }> {
  const [kept, ...others] = tagged;
  return { kept, duplicates: await sweepDuplicates(ci, kept?.JobId, others, signal) };
}

/** Merges two duplicate lists by job id, the later record winning. */
export function mergeDuplicates(...lists: (readonly DuplicateJob[] | undefined)[]): DuplicateJob[] | undefined {
  const merged = new Map<string, DuplicateJob>();
  for (const list of lists) for (const duplicate of list ?? []) merged.set(duplicate.jobId, duplicate);
  return merged.size > 0 ? [...merged.values()] : undefined;
}

/**
 * Cancels every job of a step that CI still allows, except `keepJobId`, and reports honestly what it could not
 * cancel. Used on each failure path after a possible submit, where the run will never look at the job again.
 */
export async function cancelStepJobs(
  ci: CiJobsApi,
  tag: string,
  tagged: readonly AsrJob[],
  keepJobId: string | undefined,
  signal: AbortSignal | undefined,
): Promise<CleanupReport> {
  const report: CleanupReport = { tag, cancelled: [], uncancelled: [] };
  for (const job of tagged) {
    if (job.JobId === keepJobId || job.State === 'Cancel') continue;
    const outcome = await cancelOrRecord(ci, job, signal);
    if (outcome.cancel === 'cancelled') report.cancelled.push(job.JobId);
    else report.uncancelled.push({ jobId: job.JobId, state: outcome.state, reason: outcome.error ?? outcome.cancel });
  }
  countUncancelled(report.uncancelled.length);
  if (report.uncancelled.length > 0) log.warn('CI jobs left running by a failed run', { ...report });
  return report;
}
