import { startWorkflow, WorkflowRunOperationHandler } from '@temporalio/nexus';
import * as nexus from 'nexus-rpc';
import { validateBatchInput, TRANSCRIBE_BATCH_WORKFLOW } from '../client/batch';
import { InvalidWorkflowInputError } from '../client/errors';
import { TRANSCRIBE_MEDIA_WORKFLOW, validateTranscriptionInput } from '../client/transcription';
import type { TranscriptionResult } from '../contract';
import type { TranscribeBatchInput, TranscribeBatchResult } from '../workflows/transcribe-batch/types';
import type { transcribeBatch } from '../workflows/transcribe-batch/workflow';
import type { TranscribeMediaInput } from '../workflows/transcribe-media/input';
import type { transcribeMedia } from '../workflows/transcribe-media/workflow';
import { transcriptionService } from './contract';

/**
 * The workflow id a Nexus operation's run gets: the operation's prefix and the Nexus request id. The caller's server
 * mints one request id per scheduled operation and sends it again on every retry of the start request, so a retried
 * start names the same workflow id with the same request id, and Temporal answers with the run it already started.
 */
export function nexusWorkflowId(operation: 'transcribe' | 'transcribe-batch', requestId: string): string {
  return `${operation}-nexus-${requestId}`;
}

/** An input the workflow would refuse fails the operation at once (not retried), listing every problem. */
function checked<I>(validate: (input: I) => void, input: I): I {
  try {
    validate(input);
    return input;
  } catch (err) {
    if (!(err instanceof InvalidWorkflowInputError)) throw err;
    throw new nexus.HandlerError('BAD_REQUEST', err.message, { cause: err });
  }
}

/** The request id, without which a retried start could not be recognised. */
function requestIdOf(ctx: nexus.StartOperationContext): string {
  if (!ctx.requestId) throw new nexus.HandlerError('BAD_REQUEST', 'the Nexus start request has no request id');
  return ctx.requestId;
}

/**
 * The handlers of the `transcription` service: each operation starts this package's workflow on the handling worker's
 * task queue, through the SDK's workflow-run operation handler. That handler forwards the caller's callback (the
 * result or failure reaches the caller as the workflow's own), its links both ways (the caller's history points to
 * the run, the run to the caller's event), and cancels the workflow when the caller cancels the operation, which
 * cancels its CI jobs through the workflows' own cancel path.
 */
export const transcriptionServiceHandler = nexus.serviceHandler(transcriptionService, {
  transcribe: new WorkflowRunOperationHandler<TranscribeMediaInput, TranscriptionResult>(async (ctx, input) => {
    return await startWorkflow<typeof transcribeMedia>(ctx, TRANSCRIBE_MEDIA_WORKFLOW, {
      workflowId: nexusWorkflowId('transcribe', requestIdOf(ctx)),
      args: [checked(validateTranscriptionInput, input)],
    });
  }),
  transcribeBatch: new WorkflowRunOperationHandler<TranscribeBatchInput, TranscribeBatchResult>(async (ctx, input) => {
    return await startWorkflow<typeof transcribeBatch>(ctx, TRANSCRIBE_BATCH_WORKFLOW, {
      workflowId: nexusWorkflowId('transcribe-batch', requestIdOf(ctx)),
      args: [checked(validateBatchInput, input)],
    });
  }),
});
