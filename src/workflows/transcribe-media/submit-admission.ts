import { ActivityFailure, proxyLocalActivities, TimeoutFailure, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/create-activities';
import { submitDeadlineFailure } from '../failures';
import { ciSubmitAdmission } from '../ci-admission';

// Asked in the run's first workflow task: the worker's configuration, which workflow code cannot read itself.
const { usesSharedSubmitAdmission } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '5 seconds' },
});

/**
 * Takes one admission from the shared CI submit rate limit before a lone run submits, when its worker serves one
 * (`ActivityDeps.sharedSubmitAdmission`). A batch item's batch took it already. The wait ends at the run's deadline
 * with a `TranscriptionTimedOut` failure: nothing was submitted.
 */
export async function admitLoneSubmit(remainingMs: number): Promise<void> {
  if (workflowInfo().workflowType !== 'transcribeMedia') return;
  if (!(await usesSharedSubmitAdmission())) return;
  try {
    await ciSubmitAdmission(remainingMs)();
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof TimeoutFailure) {
      throw submitDeadlineFailure(`no CI submit admission in time: ${err.cause.message}`, 'never-submitted');
    }
    throw err;
  }
}
