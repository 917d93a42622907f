import { ApplicationFailure } from '@temporalio/common';
import type { AsrJob } from '../../ci/types';
import { FailureType } from '../../shared/failure-types';
import type { CiJobsApi } from '../deps';

/** Slack around the creation window, for clock skew between the worker and CI. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Page limit of one lookup: 100 pages of 100 jobs; a step's jobs are found long before. */
export const MAX_LOOKUP_PAGES = 100;

/**
 * A lookup stopped at {@link MAX_LOOKUP_PAGES} with pages left: the jobs it did not read may hold the step's, so it
 * cannot say "nothing found". Retryable for a submit (a later attempt may look with a narrower window); a cleanup
 * reports it as its `lookupError`, after cancelling what it found (`found`).
 */
export class LookupTruncatedError extends Error {
  override readonly name = 'LookupTruncatedError';
  constructor(readonly found: AsrJob[]) {
    super(
      `The CI job lookup stopped after ${MAX_LOOKUP_PAGES} pages with more left; the step's jobs may be among them`,
    );
  }

  /** As an activity failure: retryable, typed as a transient CI error with code `LookupTruncated`. */
  toFailure(): ApplicationFailure {
    return ApplicationFailure.create({
      type: FailureType.CiTransientError,
      nonRetryable: false,
      message: this.message,
      details: [{ code: 'LookupTruncated', action: 'list' }],
    });
  }
}

/**
 * The creation-time window of a lookup. A worker clock so far behind the Temporal server that the window would be
 * empty is the worker's fault, not the input's: a retryable failure that says so (the next attempt may run on a
 * worker with a good clock), never a non-retryable invalid-input error.
 */
export function lookupWindow(sinceMs: number, nowMs: number): { start: Date; end: Date } {
  if (nowMs + CLOCK_SKEW_MS < sinceMs) {
    const behind = Math.round((sinceMs - nowMs) / 1000);
    throw ApplicationFailure.create({
      type: FailureType.WorkerClockSkew,
      nonRetryable: false,
      message: `The worker's clock is ${behind}s behind the Temporal server's; sync it (NTP) so CI jobs can be looked up`,
      details: [{ behindSeconds: behind }],
    });
  }
  return { start: new Date(sinceMs - CLOCK_SKEW_MS), end: new Date(nowMs + CLOCK_SKEW_MS) };
}

/** Slack around a window anchored on CI's own creation time: CI reports it in whole seconds. */
const ANCHOR_SLACK_MS = 5_000;

/**
 * The creation-time window of the first attempt's sweep, anchored on the job it just submitted. No earlier attempt
 * exists, so another job with the step's tag can only come from an earlier send of this attempt's own request (a
 * retry inside the SDK after a lost answer), created before the job CI answered with and at most the attempt's
 * duration earlier; nothing is sent after CI answered. Both ends are CI's clock (the job's `CreationTime`) shifted by
 * a duration the worker measured, so no clock skew enters; the window spans seconds instead of the ten minutes of
 * {@link lookupWindow}, which a busy queue fills with thousands of other jobs to page through.
 */
export function anchoredWindow(createdAt: Date, attemptElapsedMs: number): { start: Date; end: Date } {
  const before = Math.max(0, attemptElapsedMs) + ANCHOR_SLACK_MS;
  return { start: new Date(createdAt.getTime() - before), end: new Date(createdAt.getTime() + ANCHOR_SLACK_MS) };
}

/**
 * Every job carrying `tag` in its `UserData` created since `sinceMs` (the step's first attempt), oldest first, found by
 * walking the list API page by page. This is how a retried submit adopts the job an earlier attempt created. Pages
 * are deduplicated by `JobId` (overlapping pages must never make the kept job look like its own duplicate), and the
 * walk stops on an empty page, a missing token or a token seen before; a walk that reaches {@link MAX_LOOKUP_PAGES}
 * with pages left throws {@link LookupTruncatedError}, never answers "nothing found". `queueId` is sent on every page
 * (the client adds the bucket's queue when it is absent).
 */
export async function findTaggedJobs(
  ci: CiJobsApi,
  tag: string,
  options: (
    | { sinceMs: number; nowMs: number }
    /** A window already decided (see {@link anchoredWindow}). */
    | { window: { start: Date; end: Date } }
  ) & { queueId?: string; signal?: AbortSignal },
): Promise<AsrJob[]> {
  const { start, end } = 'window' in options ? options.window : lookupWindow(options.sinceMs, options.nowMs);
  const found = new Map<string, AsrJob>();
  const seenTokens = new Set<string>();
  let nextToken: string | undefined;
  for (let page = 0; ; page++) {
    if (page === MAX_LOOKUP_PAGES) throw new LookupTruncatedError(sortedByCreation([...found.values()]));
    const answer = await ci.list(
      {
        queueId: options.queueId,
        startCreationTime: start,
        endCreationTime: end,
        orderByTime: 'Asc',
        size: 100,
        nextToken,
      },
      { signal: options.signal },
    );
    for (const job of answer.jobs) if (job.Operation.UserData === tag) found.set(job.JobId, job);
    nextToken = answer.jobs.length > 0 ? answer.nextToken : undefined;
    if (nextToken === undefined || seenTokens.has(nextToken)) break;
    seenTokens.add(nextToken);
  }
  return sortedByCreation([...found.values()]);
}

/** Oldest first; ties by job id, so every attempt keeps the same job. */
export function sortedByCreation(jobs: AsrJob[]): AsrJob[] {
  return jobs.sort((a, b) => a.CreationTime.getTime() - b.CreationTime.getTime() || a.JobId.localeCompare(b.JobId));
}
