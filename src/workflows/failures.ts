// The failures the workflows end a run with. Builders only build: recording a failure in a run's status is the
// caller's job, so they stay pure and unit-testable.
import { ApplicationFailure } from '@temporalio/common';
import type { CancelJobOutcome, JobSnapshot } from '../activities/types';
import type { FailureTypeName } from '../shared/failure-types';
import { FailureType } from '../shared/failure-types';
import { actionForJobState } from './transcribe-media/decide';

/** A non-retryable `ApplicationFailure` of a {@link FailureType}: retrying the workflow task could not change it. */
export function workflowFailure(
  type: FailureTypeName,
  message: string,
  details: Record<string, unknown>,
): ApplicationFailure {
  return ApplicationFailure.create({ type, nonRetryable: true, message, details: [details] });
}

/** The input of `workflow` (`transcribeMedia`, `transcribeBatch`) failed its checks; nothing was submitted. */
export function invalidInputFailure(workflow: string, problems: readonly string[]): ApplicationFailure {
  const message = `Invalid ${workflow} input: ${problems.join('; ')}`;
  return workflowFailure(FailureType.InvalidTranscriptionInput, message, { problems });
}

/** The run's deadline passed while the submit activity was still being retried: no job exists. */
export function submitDeadlineFailure(reason: string): ApplicationFailure {
  const message = `Deadline passed while CI kept refusing the submit: ${reason}`;
  return workflowFailure(FailureType.TranscriptionTimedOut, message, { cancelOutcome: 'never-submitted' });
}

/** The run's deadline passed while job `jobId` ran; `cancel` is what CI said to the cancel (undefined: it failed). */
export function deadlineFailure(jobId: string, cancel: CancelJobOutcome | undefined): ApplicationFailure {
  const message = `Deadline passed before CI job ${jobId} finished (cancel: ${cancel?.outcome ?? 'failed'})`;
  return workflowFailure(FailureType.TranscriptionTimedOut, message, {
    jobId,
    cancelOutcome: cancel?.outcome ?? 'error',
  });
}

/**
 * The failure for a job CI reports in `snapshot` when the check stored no result, or undefined while the job is
 * still on its way.
 */
export function finishedJobFailure(jobId: string, snapshot: JobSnapshot): ApplicationFailure | undefined {
  switch (actionForJobState(snapshot.state)) {
    case 'store-result':
      // Success without a SpeechRecognitionResult: there is nothing to store, and waiting longer will not add it.
      return workflowFailure(
        FailureType.TranscriptionResultUnavailable,
        `CI job ${jobId} succeeded without a recognition result`,
        { jobId },
      );
    case 'fail': {
      const reason = `${snapshot.code ?? 'UnknownError'}: ${snapshot.message ?? ''}`.trim();
      const details = { jobId, code: snapshot.code, message: snapshot.message };
      return workflowFailure(FailureType.CiJobFailed, `CI job ${jobId} failed: ${reason}`, details);
    }
    case 'report-cancelled':
      return workflowFailure(FailureType.CiJobCancelled, `CI job ${jobId} was cancelled outside this workflow`, {
        jobId,
      });
    case 'keep-waiting':
      return undefined;
  }
}
