import type { ActivityOptions } from '@temporalio/workflow';
import { RetryState } from '@temporalio/common';
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../contract';
import { LATE_SUBMIT_SETTLE_MS } from '../../contract';
import { submitTaskQueue } from './lone-submit';

/**
 * A local activity's failure as a scheduled activity's would reach the run: core hands the activity's own failure to
 * the workflow (only timeouts and cancellations come wrapped), and the run tells a permanent failure by its
 * `ActivityFailure` wrapper (`isPermanentActivityFailure`), as failures and status reports do.
 */
function asActivityFailure(err: unknown, activityType: string): unknown {
  if (err instanceof ActivityFailure || !(err instanceof ApplicationFailure)) return err;
  const retryState = err.nonRetryable ? RetryState.NON_RETRYABLE_FAILURE : RetryState.MAXIMUM_ATTEMPTS_REACHED;
  return new ActivityFailure('Local activity failed', activityType, undefined, retryState, undefined, err);
}

/** Time a failing run's cleanup may take, retries included: it must end the run, never hold it open. */
const CLEANUP_BUDGET = '2 minutes';

/**
 * Time storing a success found after the run stopped waiting (cancel, deadline) may take, retries included. Its own:
 * the run's deadline is spent by then, and a paid result is worth a longer wait than a cleanup.
 */
const KEEP_BUDGET = '5 minutes';

/**
 * Activity stubs with a run's attempt timeout; retry policies are fixed by what each activity does. Submit retries
 * stop at the run's deadline (`submitBudgetMs`), so a CI outage cannot keep a run submitting past it. The submit's
 * task queue is decided from the run's own info (see {@link submitTaskQueue}); a wake-up's check runs in the workflow
 * task that woke the run.
 */
export function activitiesFor(attemptTimeoutMs: number, submitBudgetMs: number) {
  const startToCloseTimeout = attemptTimeoutMs;
  const submitOptions: ActivityOptions = {
    startToCloseTimeout,
    scheduleToCloseTimeout: Math.max(attemptTimeoutMs, submitBudgetMs),
    // Retries are safe: a retried attempt adopts the job an earlier attempt created (see the submit activity).
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
  };
  const { submitTranscriptionJob } = proxyActivities<Activities>({
    ...submitOptions,
    taskQueue: submitTaskQueue(workflowInfo()),
  });
  // A check that keeps failing is waited out until the next poll rather than failing the run.
  const { cancelTranscriptionJob } = proxyActivities<Activities>({
    startToCloseTimeout,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 5 },
  });
  // Transient errors are retried within the budget; a permanent refusal is reported by the activity, not thrown. After
  // a submit that never answered the cleanup looks twice, LATE_SUBMIT_SETTLE_MS apart: its attempts get that long on top.
  const { cleanUpStepJobs } = proxyActivities<Activities>({
    startToCloseTimeout: attemptTimeoutMs + LATE_SUBMIT_SETTLE_MS,
    scheduleToCloseTimeout: CLEANUP_BUDGET,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds' },
  });
  // The check as a local activity: it runs in the workflow task that woke the run, so a check that
  // finds the job done completes the run in that task. Its retries (backoff under a minute) happen in the worker and
  // are recorded once, as a marker; a worker lost mid-check fails the task, and the next attempt checks again.
  const { checkTranscriptionJob: localCheck } = proxyLocalActivities<Activities>({
    startToCloseTimeout,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 5 },
  });
  const checkInTask: Activities['checkTranscriptionJob'] = (input) =>
    localCheck(input).catch((err: unknown) => {
      throw asActivityFailure(err, 'checkTranscriptionJob');
    });
  // The last check at the deadline has no next poll to wait for: a paid-for success must not be lost to a few
  // failed attempts (a worker restarting), so it retries for as long as a cleanup may take.
  const { checkTranscriptionJob: checkAtDeadline } = proxyActivities<Activities>({
    startToCloseTimeout,
    scheduleToCloseTimeout: CLEANUP_BUDGET,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds' },
  });
  // Storing a success found after the run stopped waiting (see `keepSuccess`): the same check, on a budget of its own.
  const { checkTranscriptionJob: keepResult } = proxyActivities<Activities>({
    startToCloseTimeout,
    scheduleToCloseTimeout: KEEP_BUDGET,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds' },
  });
  return {
    submitTranscriptionJob,
    keepResult,
    checkTranscriptionJob: checkInTask,
    checkAtDeadline,
    cancelTranscriptionJob,
    cleanUpStepJobs,
  };
}
