// The end of a run that stops waiting without a stored result (its deadline passed, or a check was refused for good):
// cancel what CI still allows, keep a success.
import { upsertMemo } from '@temporalio/workflow';
import type { JobCheck, SubmittedJob, TranscriptionResult } from '../../contract';
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

/** A check as the run saw it: `refused` when it failed for good; `atDeadline` when it was the last look. */
export interface Look extends JobCheck {
  refused?: unknown;
  atDeadline?: boolean;
}

/**
 * The run stops waiting without a stored result: its deadline passed (`look.atDeadline`), or a check failed for good
 * (`look.refused`: a manifest write denied, the job unknown). The cleanup cancels what CI allows; the run knows its
 * job, so it cancels it by id when the listing could not vouch for it. A job CI would not cancel because it succeeded
 * (since the look, or the look could not store it) is paid for: it is stored and returned, and a store that still
 * fails ends the run with the success and the transcript's location ({@link unstoredSuccessFailure}), never with the
 * job called uncancelled. Otherwise the run fails with the refusal, or times out.
 */
export async function endWithoutResult(
  job: SubmittedJob,
  look: Look,
  status: RunStatus,
  steps: EndSteps,
): Promise<TranscriptionResult> {
  const report = await steps.cleanUp();
  const listed = cancelOutcomeIn(report, job.jobId);
  const cancel = listed && listed.outcome !== 'not-found' ? listed : ((await steps.tryCancel()) ?? listed);
  if (cancel?.state !== 'Success') {
    if (look.refused) throw withCleanup(look.refused, report, job.jobId);
    status.deadlinePassed();
    throw withCleanup(deadlineFailure(job.jobId, cancel), report, job.jobId);
  }
  const keeping = await steps.keep(true, look.atDeadline);
  // Success without a recognition result: nothing to store, and that failure says so.
  if (!keeping) throw finishedJobFailure(job.jobId, { jobId: job.jobId, state: 'Success' })!;
  const cleanup = withoutJob(report, job.jobId);
  recordKept(keeping.kept, status);
  upsertMemo({ keptResult: keeping.kept, cleanup });
  if (keeping.result) return steps.completed(keeping.result);
  throw withCleanup(unstoredSuccessFailure(keeping.kept), cleanup, job.jobId);
}
