import { ApplicationFailure } from '@temporalio/common';
import { CiError, CiValidationError } from '../ci/errors';
import { FailureType } from '../shared/failure-types';
import { LookupTruncatedError } from './submit/lookup';

/**
 * Sorts an error at the activity boundary: permanent CI refusals and invalid input become non-retryable
 * `ApplicationFailure`s with a stable type and details; anything transient is rethrown for Temporal to retry.
 */
export function toActivityFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof LookupTruncatedError) return err.toFailure();
  if (err instanceof CiValidationError) {
    return ApplicationFailure.create({
      type: FailureType.InvalidTranscriptionInput,
      nonRetryable: true,
      message: err.message,
      details: [{ issues: err.issues }],
      cause: err,
    });
  }
  if (err instanceof CiError) {
    // The SDK's raw error (the CiError's cause) is left out: only the redacted message may reach history and logs.
    // A request whose outcome is unknown is worth repeating: a retried submit first adopts the job it may have made.
    const transient = err.retryable || err.outcomeUnknown;
    return ApplicationFailure.create({
      type: transient ? FailureType.CiTransientError : FailureType.CiRequestRejected,
      nonRetryable: !transient,
      message: err.message,
      details: [{ code: err.code, statusCode: err.statusCode, requestId: err.requestId, action: err.action }],
    });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Runs `work`, converting its failure with {@link toActivityFailure}. */
export async function sortingFailures<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toActivityFailure(err);
  }
}
