import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CleanupReport, DuplicateJob, ObjectLocation } from '../contract';
import type { CiJobState } from '../ci/job-state';
import type { BatchItemOutcome, BatchProgress } from './transcribe-batch/types';

/**
 * What the callback receiver tells a `transcribeMedia` run when CI posts a job notification. It is a hint only: the
 * workflow confirms it with one `get` before acting, so it carries no result data.
 */
export interface CiCallbackSignal {
  /** `JobsDetail/JobId` of the notification. */
  jobId: string;
  /** `JobsDetail/State` of the notification. */
  state: CiJobState;
  /** `JobsDetail/Code` (`Success`, or CI's error code when the job failed). */
  code?: string;
  /** `JobsDetail/Message` (CI's error text when the job failed). */
  message?: string;
  /** When the receiver accepted the notification (ISO 8601). */
  receivedAt: string;
}

/** Signal the receiver sends for each CI callback; duplicates and callbacks for other job ids are ignored. */
export const ciCallbackSignal = defineSignal<[CiCallbackSignal]>('ciJobCallback');

/**
 * Why a `transcribeMedia` run refused a callback update; the validator's error message is exactly one of these.
 * A refused update writes nothing to the run's history.
 */
export type CallbackRefusal = 'finished' | 'other_job' | 'not_final' | 'duplicate';

/** What an accepted callback update answers. */
export interface CallbackAck {
  /** The run's CI job, once known: the receiver refuses entries for any other job without asking again. */
  jobId?: string;
}

/**
 * Update the receiver sends for each CI callback entry. Its validator refuses entries for another job, non-final
 * states, duplicates of a callback already waiting and anything after the run ended, so only the run's own job's
 * news reaches its history. {@link ciCallbackSignal} stays for receivers that predate it.
 */
export const ciCallbackUpdate = defineUpdate<CallbackAck, [CiCallbackSignal]>('ciJobCallbackUpdate');

/**
 * A job CI reported `Success` for after the run stopped waiting (a workflow cancel, the deadline): what the run kept
 * of it. In the memo (`keptResult`), the status query and, when storing failed for good, the run's failure details.
 */
export interface KeptSuccess {
  /** The CI job that succeeded. */
  jobId: string;
  /** The transcript CI wrote: the job's output object. */
  transcript: ObjectLocation;
  /** The manifest, once stored; absent when storing failed for good (then `storeError` says why). */
  manifest?: ObjectLocation;
  /** Why the result could not be stored; the transcript is still at `transcript`, and CI bills the job. */
  storeError?: string;
}

/** Phases of a `transcribeMedia` run, in order. */
export type TranscriptionPhase =
  'submitting' | 'waiting' | 'completed' | 'failed' | 'cancelling' | 'cancelled' | 'timed-out';

/** Live status of a `transcribeMedia` run, answered by {@link transcriptionStatusQuery}. */
export interface TranscriptionStatus {
  phase: TranscriptionPhase;
  /** CI job id once submitted. */
  jobId?: string;
  /** Last job state confirmed with CI. */
  jobState?: CiJobState;
  /** `get` calls made because no callback had come. */
  polls: number;
  /** Callback signals received (including duplicates and ones for other jobs). */
  callbacksReceived: number;
  /** Last error seen (activity failure message or CI's failure code and message). */
  lastError?: string;
  /** How completion was detected, once it was. */
  completedBy?: 'callback' | 'poll';
  /** When the next poll is due (ISO 8601), while waiting. */
  nextPollAt?: string;
  /** Other jobs of the step that retried submits created; those not `cancelled` are billed too. */
  duplicateJobs?: DuplicateJob[];
  /** Jobs of a failed run that CI would not cancel (it may bill them), from the run's cleanup. */
  uncancelledJobs?: CleanupReport['uncancelled'];
  /** Set when the cleanup could not look for the step's jobs: CI may hold one nobody saw. */
  cleanupError?: string;
  /** A success found after the run stopped waiting (cancel, deadline), and where its result is. */
  keptResult?: KeptSuccess;
}

/** Query returning the run's {@link TranscriptionStatus}. */
export const transcriptionStatusQuery = defineQuery<TranscriptionStatus>('transcriptionStatus');

/** Query returning a `transcribeBatch` run's progress. */
export const batchProgressQuery = defineQuery<BatchProgress>('batchProgress');

/**
 * Signal a batch item sends to its batch's workflow id when it ends. Sent by workflow id (no run id), so it reaches
 * whichever run of the batch is current, also after the batch continued as new.
 */
export const batchItemDoneSignal = defineSignal<[BatchItemOutcome]>('batchItemDone');
