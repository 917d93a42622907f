import { cancellationSignal } from '@temporalio/activity';

/** Time kept between an attempt's own abort and the first of its timeouts, so no call of it outlives them. */
export const ATTEMPT_ABORT_MARGIN_MS = 2_000;

/**
 * How long a second look waits for a submit CI received but had not committed yet at the first (see the contract's
 * {@link LATE_SUBMIT_SETTLE_MS}); capped by what the attempt's own budget leaves.
 */
export { LATE_SUBMIT_SETTLE_MS } from '../../contract';
/** Budget kept for the second look and its cancels. */
export const SECOND_LOOK_RESERVE_MS = 2_000;

/** The activity timing an attempt's budget is read from (fields of `activityInfo()`). */
export interface AttemptTiming {
  startToCloseTimeoutMs: number;
  /** 0 or absent: no schedule-to-close. */
  scheduleToCloseTimeoutMs?: number;
  /** When the activity's first attempt was scheduled (server clock). */
  scheduledTimestampMs: number;
  /** When this attempt was scheduled (server clock). */
  currentAttemptScheduledTimestampMs?: number;
}

/**
 * How long this attempt may run, from now: the earlier of its start-to-close and what is left of the activity's
 * schedule-to-close, less {@link ATTEMPT_ABORT_MARGIN_MS}. When schedule-to-close fires, Temporal fails the activity
 * and the workflow cleans up at once, so an attempt still sending then could create a job after the cleanup looked.
 * What is left is measured twice and the smaller taken: from this attempt's scheduling (server clock only, but late by
 * the attempt's wait in the task queue) and from the worker's clock (exact, unless the worker's clock is behind).
 */
export function attemptBudgetMs(timing: AttemptTiming, nowMs: number): number {
  // Past start-to-close Temporal retries, and the retry adopts: at least 1 s of a short attempt is used, as ever.
  const budgets =
    timing.startToCloseTimeoutMs > 0 ? [Math.max(1_000, timing.startToCloseTimeoutMs - ATTEMPT_ABORT_MARGIN_MS)] : [];
  // Past schedule-to-close nothing adopts and the run cleans up at once: no floor, the full margin.
  if ((timing.scheduleToCloseTimeoutMs ?? 0) > 0) {
    const closesAt = timing.scheduledTimestampMs + (timing.scheduleToCloseTimeoutMs ?? 0);
    const left = Math.min(
      closesAt - (timing.currentAttemptScheduledTimestampMs ?? timing.scheduledTimestampMs),
      closesAt - nowMs,
    );
    budgets.push(left - ATTEMPT_ABORT_MARGIN_MS);
  }
  if (budgets.length === 0) return Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(...budgets));
}

/** The reason an attempt aborted itself: its budget ran out ({@link attemptBudgetMs}); retryable. */
export class AttemptDeadlineError extends Error {
  override readonly name = 'AttemptDeadlineError';
}

/**
 * Aborts on cancellation, and on its own shortly before the attempt's first timeout ({@link attemptBudgetMs}):
 * Temporal retries or fails a timed-out attempt without telling it (it does not heartbeat). Created when the attempt
 * starts, it bounds every CI call of the attempt (lookup, submit, sweep); a submit it ends is aborted on its socket
 * (see `SubmitBody`). A plain timer is used, not `AbortSignal.timeout`, whose signal Node 20 may collect before it
 * fires when only `AbortSignal.any` refers to it. Call `release` when done.
 */
export function attemptSignal(
  timing: AttemptTiming,
  nowMs: number = Date.now(),
): {
  signal: AbortSignal;
  release: () => void;
} {
  const controller = new AbortController();
  const budget = attemptBudgetMs(timing, nowMs);
  const abort = () => controller.abort(new AttemptDeadlineError('the attempt reached its own deadline'));
  // setTimeout caps at 2^31-1 ms; a longer budget is no budget in practice.
  const timer = Number.isFinite(budget) && budget < 2 ** 31 - 1 ? setTimeout(abort, budget) : undefined;
  if (budget === 0) abort();
  const cancelled = cancellationSignal();
  const onCancel = () => controller.abort(cancelled.reason);
  cancelled.addEventListener('abort', onCancel);
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      cancelled.removeEventListener('abort', onCancel);
    },
  };
}
