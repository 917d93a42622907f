import { activityInfo } from '@temporalio/activity';
import { createBatchActivities } from './batch-activities';
import { fetchJob, snapshotOf, storeResult } from './check-and-store';
import type { ActivityRuntime } from './deps';
import { sortingFailures } from './failures';
import { submitStepJob } from './submit/attempt';
import { cleanUpStepJobs } from './submit/cleanup';
import type * as Contract from '../contract';

/**
 * Creates the activities `transcribeMedia` and other workflows call. Register the returned object with a worker:
 * `Worker.create({ activities: createActivities(deps), ... })`.
 */
export function createActivities(deps: ActivityRuntime): Contract.Activities {
  const now = deps.now ?? (() => new Date());

  return {
    ...createBatchActivities(deps),

    /** Submits the step's CI job exactly once, adopting the one an earlier attempt created (see `submitStepJob`). */
    async submitTranscriptionJob(input: Contract.SubmitJobInput): Promise<Contract.SubmittedJob> {
      return sortingFailures(() => submitStepJob(deps, input, activityInfo(), () => now().getTime()));
    },

    /** Whether lone runs submit on the CI quota queue (see `ActivityRuntime.sharedSubmitQueue`). */
    async usesSharedSubmitQueue(): Promise<boolean> {
      return Promise.resolve(deps.sharedSubmitQueue === true);
    },

    /** Reads a job's current state (compact: no transcript text enters history). */
    async getTranscriptionJob(ref: Contract.JobRef): Promise<Contract.JobSnapshot> {
      return sortingFailures(async () => snapshotOf(await fetchJob(deps, ref)));
    },

    /** Asks CI to cancel a job; CI only cancels jobs that have not started running, and the outcome says which. */
    async cancelTranscriptionJob(ref: Contract.JobRef): Promise<Contract.CancelJobOutcome> {
      return sortingFailures(async () => {
        const result = await deps.ciFor(ref).cancel(ref.jobId);
        return { jobId: ref.jobId, outcome: result.outcome, state: result.state };
      });
    },

    /**
     * One look at a waiting job: its compact state, and when it succeeded, its result stored at once (manifest
     * written, locations returned). Confirming and storing in one activity saves a workflow task and an activity per
     * job, and CI is asked once.
     */
    async checkTranscriptionJob(input: Contract.StoreResultInput): Promise<Contract.JobCheck> {
      // `atDeadline`: the run's last look before it gives up; a success found now is stored, not thrown away.
      return sortingFailures(async () => {
        const snapshot = snapshotOf(await fetchJob(deps, input.job));
        if (!snapshot.result) return { snapshot };
        return { snapshot, result: await storeResult(deps, input, snapshot.result) };
      });
    },

    /**
     * Cancels what CI still allows of a step's jobs (found by tag), except `keepJobId`, and reports what it could not
     * cancel. A lookup CI refuses for good is reported (`lookupError`), not thrown: the run is failing already and
     * its failure must say so. Transient errors are thrown, for Temporal to retry within the cleanup's budget.
     */
    async cleanUpStepJobs(input: Contract.CleanUpJobsInput): Promise<Contract.CleanupReport> {
      return cleanUpStepJobs(deps, input, activityInfo(), () => now().getTime());
    },
  };
}
