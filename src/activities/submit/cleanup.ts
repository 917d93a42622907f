import type { Info } from '@temporalio/activity';
import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ActivityDeps } from '../deps';
import { toActivityFailure } from '../failures';
import type { CleanUpJobsInput, CleanupReport } from '../../contract';
import { attemptBudgetMs, attemptSignal, LATE_SUBMIT_SETTLE_MS, SECOND_LOOK_RESERVE_MS } from './deadline';
import { findTaggedJobs, LookupTruncatedError } from './lookup';
import { cancelStepJobs } from './step-jobs';
import { stepTag } from './tag';

/** What an attempt of the cleanup records (heartbeat details) for a retry: its first look's time and findings. */
interface CleanupProgress {
  firstLookAtMs: number;
  cancelled: string[];
  uncancelled: CleanupReport['uncancelled'];
}

/**
 * Cancels what CI still allows of a step's jobs (found by tag), except `keepJobId`, and reports what it could not
 * cancel. Without `tag` (the submit never answered, so one of its requests may still commit a job) it looks a second
 * time after {@link LATE_SUBMIT_SETTLE_MS}. A lookup CI refuses for good, or one that stopped at its page cap, is
 * reported (`lookupError`), not thrown: the run is failing already and its failure must say so. Transient errors are
 * thrown, for Temporal to retry within the cleanup's budget.
 */
export async function cleanUpStepJobs(
  deps: ActivityDeps,
  input: CleanUpJobsInput,
  info: Info,
  nowMs: () => number,
): Promise<CleanupReport> {
  const tag = input.tag ?? stepTag(info, input.step, input.runId);
  const ci = deps.ciFor({
    bucket: input.request.bucket ?? deps.defaults.bucket,
    region: input.request.region ?? deps.defaults.region,
  });
  const queueId = input.request.queueId ?? deps.defaults.queueId;
  const startedAtMs = Date.now();
  const budgetMs = attemptBudgetMs(info, startedAtMs);
  const { signal, release } = attemptSignal(info);
  // An earlier attempt's findings (it may have been killed, or timed out, during its wait): kept in the report, and
  // its first look starts the settle wait, so a retry after a lost worker does not wait all over again.
  const earlier = info.heartbeatDetails as CleanupProgress | undefined;
  const report: CleanupReport = {
    tag,
    cancelled: [...(earlier?.cancelled ?? [])],
    uncancelled: [...(earlier?.uncancelled ?? [])],
  };
  const seen = new Set<string>([...report.cancelled, ...report.uncancelled.map((job) => job.jobId)]);
  const pass = async (jobs: Awaited<ReturnType<typeof findTaggedJobs>>) => {
    const fresh = jobs.filter((job) => !seen.has(job.JobId));
    for (const job of fresh) seen.add(job.JobId);
    const found = await cancelStepJobs(ci, tag, fresh, input.keepJobId, signal);
    report.cancelled.push(...found.cancelled);
    report.uncancelled.push(...found.uncancelled);
  };
  const look = () => findTaggedJobs(ci, tag, { sinceMs: input.sinceMs, nowMs: nowMs(), queueId, signal });
  try {
    const firstLookAtMs = earlier?.firstLookAtMs ?? Date.now();
    await pass(await look());
    const progress: CleanupProgress = { firstLookAtMs, cancelled: report.cancelled, uncancelled: report.uncancelled };
    heartbeat(progress);
    // The wait is what is left of the settle time since the first look of any attempt, and never more than this
    // attempt has left after its first pass (a slow lookup may have used most of it), so the second look still fits.
    const settleMs = Math.min(
      LATE_SUBMIT_SETTLE_MS - (Date.now() - firstLookAtMs),
      budgetMs - (Date.now() - startedAtMs) - SECOND_LOOK_RESERVE_MS,
    );
    if (input.tag === undefined && settleMs > 0) {
      await sleep(settleMs, undefined, { signal }).catch(() => signal.throwIfAborted());
      await pass(await look());
    }
    return report;
  } catch (err) {
    if (err instanceof LookupTruncatedError) {
      await pass(err.found);
      return { ...report, lookupError: err.message };
    }
    const failure = toActivityFailure(err);
    if (!(failure instanceof ApplicationFailure) || !failure.nonRetryable) throw failure;
    return { ...report, lookupError: failure.message };
  } finally {
    release();
  }
}
