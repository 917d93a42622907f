// The end of a run whose deadline passed without a stored result: cancel what CI still allows, keep a success.
import { upsertMemo } from '@temporalio/workflow';
import type { SubmittedJob, TranscriptionResult } from '../../contract';
import {
  cancelOutcomeIn,
  deadlineFailure,
  finishedJobFailure,
  unstoredSuccessFailure,
  withCleanup,
  withoutJob,
} from '../failures';
import type { EndSteps } from './keep-success';
import { recordKept } from './keep-success';
import type { RunStatus } from './status';

/**
 * The deadline passed and the last look stored no result (`refused`: it failed for good). The cleanup cancels what CI
 * allows; the run knows its job, so it cancels it by id when the listing could not vouch for it. A job CI would not
 * cancel because it succeeded (since the look, or the look could not store it) is paid for: it is stored and returned,
 * and a store that still fails ends the run with the success and the transcript's location
 * ({@link unstoredSuccessFailure}), never with the job called uncancelled. Otherwise the run times out.
 */
export async function endAtDeadline(
  job: SubmittedJob,
  refused: unknown,
  status: RunStatus,
  steps: EndSteps,
): Promise<TranscriptionResult> {
  const report = await steps.cleanUp();
  const listed = cancelOutcomeIn(report, job.jobId);
  const cancel = listed && listed.outcome !== 'not-found' ? listed : ((await steps.tryCancel()) ?? listed);
  if (cancel?.state !== 'Success') {
    if (refused) throw withCleanup(refused, report, job.jobId);
    status.deadlinePassed();
    throw withCleanup(deadlineFailure(job.jobId, cancel), report, job.jobId);
  }
  const keeping = await steps.keep(true, true);
  // Success without a recognition result: nothing to store, and that failure says so.
  if (!keeping) throw finishedJobFailure(job.jobId, { jobId: job.jobId, state: 'Success' })!;
  const cleanup = withoutJob(report, job.jobId);
  recordKept(keeping.kept, status);
  upsertMemo({ keptResult: keeping.kept, cleanup });
  if (keeping.result) return steps.completed(keeping.result);
  throw withCleanup(unstoredSuccessFailure(keeping.kept), cleanup, job.jobId);
}
