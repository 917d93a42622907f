/**
 * Stable `ApplicationFailure.type` values raised by this package's activities and workflows. Callers match on these,
 * never on messages.
 */
export const FailureType = {
  /** The workflow input is invalid; nothing was submitted. */
  InvalidInput: 'InvalidTranscriptionInput',
  /** CI refused a request for good (auth, `InvalidArgument`, other 4xx). Details: `{ code, statusCode, requestId }`. */
  CiRequestRejected: 'CiRequestRejected',
  /** A CI request failed in a way worth retrying (5xx, throttling, network, unknown outcome); Temporal retries it. */
  CiTransient: 'CiTransientError',
  /** The CI job ended `Failed`. Details: `{ jobId, code, message }`. */
  CiJobFailed: 'CiJobFailed',
  /** The CI job was cancelled outside this workflow. Details: `{ jobId }`. */
  CiJobCancelled: 'CiJobCancelled',
  /** The overall deadline passed before CI finished. Details: `{ jobId, cancelOutcome }`. */
  TimedOut: 'TranscriptionTimedOut',
  /** A `transcribeBatch` item failed and the caller asked for the batch to fail with it. */
  BatchItemFailed: 'BatchItemFailed',
  /** CI reported success but the result could not be read or stored. */
  ResultUnavailable: 'TranscriptionResultUnavailable',
} as const;

/** One of {@link FailureType}'s values. */
export type FailureTypeName = (typeof FailureType)[keyof typeof FailureType];
