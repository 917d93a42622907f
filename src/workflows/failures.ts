// The failures the workflows end a run with. Builders only build: recording a failure in a run's status is the
// caller's job, so they stay pure and unit-testable.
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { CancelJobOutcome, CleanupReport, JobSnapshot } from '../contract';
import type { CiJobState } from '../ci/job-state';
import { isTerminalCiJobState } from '../ci/job-state';
import type { FailureTypeName } from '../shared/failure-types';
import { FailureType } from '../shared/failure-types';
import type { KeptSuccess } from './messages';
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

/**
 * The run's deadline passed while the submit activity was still being retried. Whether CI holds a job is `unknown`
 * (a lost response may have hidden one; the cleanup then looks for it by tag).
 */
export function submitDeadlineFailure(reason: string): ApplicationFailure {
  const message = `Deadline passed while CI kept refusing the submit: ${reason}`;
  return workflowFailure(FailureType.TranscriptionTimedOut, message, { cancelOutcome: 'unknown' });
}

/**
 * The run's deadline had passed `lateByMs` before it could submit (its first workflow task ran late: no worker polled,
 * the server was down). Nothing was submitted, so nothing is billed and there is nothing to clean up.
 */
export function lateStartFailure(lateByMs: number): ApplicationFailure {
  const late = `${Math.ceil(lateByMs / 1000)} s`;
  const message = `Deadline passed ${late} before the run could submit (no worker ran it in time); nothing was submitted`;
  return workflowFailure(FailureType.TranscriptionTimedOut, message, { cancelOutcome: 'never-submitted', lateByMs });
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
 * The run kept a success CI reported after it stopped waiting, but storing its result failed for good: the job is
 * paid for and its transcript is where CI wrote it; only the manifest is missing. Details: `{ jobId, keptResult }`.
 */
export function unstoredSuccessFailure(kept: KeptSuccess): ApplicationFailure {
  const message = `CI job ${kept.jobId} succeeded but its result could not be stored (${kept.storeError ?? 'unknown'}); its transcript is at ${kept.transcript.uri}`;
  return workflowFailure(FailureType.TranscriptionResultUnavailable, message, { jobId: kept.jobId, keptResult: kept });
}

/** One line for the status and the memo's cancellation note: a job that had already succeeded, and where it is. */
export function keptNote(kept: KeptSuccess): string {
  if (kept.manifest) return `CI job ${kept.jobId} had already succeeded; its result is stored (${kept.manifest.uri})`;
  return `CI job ${kept.jobId} had already succeeded; its transcript is at ${kept.transcript.uri} but its manifest could not be written (${kept.storeError ?? 'unknown'})`;
}

/** `report` without job `jobId`, which the run kept (a success is not left running, nor billed for nothing). */
export function withoutJob(report: CleanupReport, jobId: string): CleanupReport {
  return { ...report, uncancelled: report.uncancelled.filter((job) => job.jobId !== jobId) };
}

/** What a cleanup did to job `jobId`, in the terms of {@link CancelJobOutcome} (undefined: the lookup failed). */
export function cancelOutcomeIn(report: CleanupReport, jobId: string): CancelJobOutcome | undefined {
  if (report.lookupError !== undefined) return undefined;
  if (report.cancelled.includes(jobId)) return { jobId, outcome: 'cancelled', state: 'Cancel' };
  const left = report.uncancelled.find((job) => job.jobId === jobId);
  if (!left) return { jobId, outcome: 'not-found' };
  return { jobId, outcome: left.reason === 'not-found' ? 'not-found' : 'not-cancellable', state: left.state };
}

/** A cleanup that could not even run (its activity ran out of time): nothing is known about the step's jobs. */
export function cleanupNotDone(tag: string | undefined, reason: string): CleanupReport {
  return { tag, cancelled: [], uncancelled: [], lookupError: `cleanup did not finish: ${reason}` };
}

/** One line for messages, the status and logs: what CI may still bill that the run will never use. */
export function cleanupSummary(report: CleanupReport): string | undefined {
  const left = report.uncancelled.map((job) => `${job.jobId} (${job.state ?? job.reason})`);
  if (report.lookupError !== undefined) {
    return `CI jobs tagged ${report.tag ?? 'for this step'} could not be looked up (${report.lookupError}); CI may hold one`;
  }
  return left.length > 0 ? `CI would not cancel ${left.join(', ')}; it may bill them` : undefined;
}

function firstApplicationFailure(err: unknown): ApplicationFailure | undefined {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure) return cause;
  }
  return undefined;
}

/** The type of the first `ApplicationFailure` in `err`'s cause chain. */
export function failureTypeOf(err: unknown): string | undefined {
  return firstApplicationFailure(err)?.type ?? undefined;
}

/**
 * Whether a failing run must clean up, and which job it keeps. Invalid input and a run that never submitted (skip). A job the run
 * saw finish (failed, cancelled, empty success) is not news and is kept out of the report; any other job of the step,
 * the run's own included, is cancelled if CI allows or reported.
 */
export function cleanupPlan(
  err: unknown,
  jobId: string | undefined,
  jobState: CiJobState | undefined,
): { skip: boolean; keepJobId?: string } {
  if (failureTypeOf(err) === FailureType.InvalidTranscriptionInput) return { skip: true };
  // Only a run that never called the submit says never-submitted (a late start).
  const [details] = firstApplicationFailure(err)?.details ?? [];
  if ((details as { cancelOutcome?: string } | undefined)?.cancelOutcome === 'never-submitted') return { skip: true };
  const ended = jobId !== undefined && jobState !== undefined && isTerminalCiJobState(jobState);
  return ended ? { skip: false, keepJobId: jobId } : { skip: false };
}

/** A non-retryable activity failure (job unknown, access revoked...): waiting for the next poll cannot fix it. */
export function isPermanentActivityFailure(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable === true;
}

/**
 * `err` (the run's own failure, or an activity's permanent one) with the cleanup's findings added to its details
 * (`uncancelledJobs`, `cleanup`) and, when CI may bill something, to its message. The type is kept.
 */
export function withCleanup(err: unknown, report: CleanupReport, jobId: string | undefined): ApplicationFailure {
  const inner = firstApplicationFailure(err);
  const own = err instanceof ApplicationFailure;
  const [details] = own ? (err.details ?? []) : [];
  const summary = cleanupSummary(report);
  const base = inner?.message ?? (err instanceof Error ? err.message : String(err));
  return ApplicationFailure.create({
    type: inner?.type ?? FailureType.CiRequestRejected,
    nonRetryable: true,
    message: summary ? `${base}; ${summary}` : base,
    details: [
      {
        ...(own && typeof details === 'object' ? details : { jobId }),
        uncancelledJobs: report.uncancelled,
        cleanup: report,
      },
    ],
    cause: own ? err.cause : err instanceof Error ? err : undefined,
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
