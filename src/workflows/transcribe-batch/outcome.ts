import { ApplicationFailure } from '@temporalio/workflow';
import type { TranscriptionResult } from '../../contract';
import type { BatchItemOutcome } from './types';

/** The type and message of a child's failure: the first typed `ApplicationFailure` in its cause chain. */
export function describeFailure(err: unknown): { type?: string; message: string } {
  let innermost: unknown = err;
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type) return { type: cause.type, message: cause.message };
    innermost = cause;
  }
  return { message: innermost instanceof Error ? innermost.message : String(innermost) };
}

/** The manifest entry of an item that succeeded. */
export function succeededOutcome(key: string, workflowId: string, result: TranscriptionResult): BatchItemOutcome {
  return {
    key,
    workflowId,
    status: 'succeeded',
    jobId: result.jobId,
    resultUri: result.resultObject.uri,
    manifestUri: result.manifestObject.uri,
  };
}

/** The manifest entry of an item that failed (or was cancelled). */
export function failedOutcome(key: string, workflowId: string, err: unknown): BatchItemOutcome {
  return { key, workflowId, status: 'failed', error: describeFailure(err) };
}
