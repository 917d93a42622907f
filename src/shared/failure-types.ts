/**
 * Stable `ApplicationFailure.type` values raised by this package's activities and workflows. Callers match on these,
 * never on messages. Each key equals its value (like the SDK's `TimeoutType`), so the name in code is the name on
 * the wire.
 */
export const FailureType = {
  /** The workflow input is invalid; nothing was submitted. */
  InvalidTranscriptionInput: 'InvalidTranscriptionInput',
  /** CI refused a request for good (auth, `InvalidArgument`, other 4xx). Details: `{ code, statusCode, requestId }`. */
  CiRequestRejected: 'CiRequestRejected',
  /** A CI request failed in a way worth retrying (5xx, throttling, network, unknown outcome); Temporal retries it. */
  CiTransientError: 'CiTransientError',
  /** The CI job ended `Failed`. Details: `{ jobId, code, message }`. */
  CiJobFailed: 'CiJobFailed',
  /** The CI job was cancelled outside this workflow. Details: `{ jobId }`. */
  CiJobCancelled: 'CiJobCancelled',
  /**
   * The overall deadline passed before CI finished. Details: `{ jobId, cancelOutcome, uncancelledJobs, cleanup }`;
   * `cancelOutcome: 'unknown'` when the submit never answered (CI may hold the job; the cleanup looked for it).
   */
  TranscriptionTimedOut: 'TranscriptionTimedOut',
  /** A `transcribeBatch` item failed and the caller asked for the batch to fail with it. */
  BatchItemFailed: 'BatchItemFailed',
  /** CI reported `Success` but gave no recognition result to store. Details: `{ jobId }`. */
  TranscriptionResultUnavailable: 'TranscriptionResultUnavailable',
  /** The worker's clock is too far behind the Temporal server's for a CI lookup; retryable (another worker may do). */
  WorkerClockSkew: 'WorkerClockSkew',
} as const;

/** One of {@link FailureType}'s values. */
export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];
