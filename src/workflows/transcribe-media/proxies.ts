import type { ActivityOptions } from '@temporalio/workflow';
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import { loneRunSubmit } from './lone-submit';

type Activities = ReturnType<typeof createActivities>;

/** Time a failing run's cleanup may take, retries included: it must end the run, never hold it open. */
const CLEANUP_BUDGET = '2 minutes';

/**
 * Activity stubs with a run's attempt timeout; retry policies are fixed by what each activity does. Submit retries
 * stop at the run's deadline (`submitBudgetMs`), so a CI outage cannot keep a run submitting past it. A `lean` run
 * (see `LEAN_CALLBACK_PATH`) checks in the workflow task that woke it and submits through `leanSubmit`.
 */
export function activitiesFor(attemptTimeoutMs: number, submitBudgetMs: number, lean: boolean) {
  const startToCloseTimeout = attemptTimeoutMs;
  const submitOptions: ActivityOptions = {
    startToCloseTimeout,
    scheduleToCloseTimeout: Math.max(attemptTimeoutMs, submitBudgetMs),
    // Retries are safe: a retried attempt adopts the job an earlier attempt created (see the submit activity).
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
  };
  const { submitTranscriptionJob } = proxyActivities<Activities>(submitOptions);
  // A check that keeps failing is waited out until the next poll rather than failing the run.
  const { checkTranscriptionJob, cancelTranscriptionJob } = proxyActivities<Activities>({
    startToCloseTimeout,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 5 },
  });
  // Transient errors are retried within the budget; a permanent refusal is reported by the activity, not thrown.
  const { cleanUpStepJobs } = proxyActivities<Activities>({
    startToCloseTimeout,
    scheduleToCloseTimeout: CLEANUP_BUDGET,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds' },
  });
  // The same check as a local activity: it runs in the workflow task that woke
  // the run, so a confirmation that finds the job done completes the run in that task. Its retries (all within a minute
  // of backoff) happen in the worker and are recorded once, as a marker; a worker lost mid-check re-runs it.
  const { checkTranscriptionJob: checkInTask } = proxyLocalActivities<Activities>({
    startToCloseTimeout,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 5 },
  });
  // The last check at the deadline has no next poll to wait for: a paid-for success must not be lost to a few
  // failed attempts (a worker restarting), so it retries for as long as a cleanup may take.
  const { checkTranscriptionJob: checkAtDeadline } = proxyActivities<Activities>({
    startToCloseTimeout,
    scheduleToCloseTimeout: CLEANUP_BUDGET,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds' },
  });
  return {
    submitTranscriptionJob,
    /** The submit of a lean run: maybe on the CI quota queue (see {@link loneRunSubmit}). */
    leanSubmit: () => loneRunSubmit(submitOptions, submitTranscriptionJob),
    checkTranscriptionJob: lean ? checkInTask : checkTranscriptionJob,
    checkAtDeadline,
    cancelTranscriptionJob,
    cleanUpStepJobs,
  };
}
