import type { Client, WorkflowHandle } from '@temporalio/client';
import { batchProgressQuery } from '../workflows/messages';
import type { BatchProgress, TranscribeBatchInput, TranscribeBatchResult } from '../workflows/transcribe-batch/types';
import { batchInputProblems } from '../workflows/transcribe-batch/validate';
import type { transcribeBatch } from '../workflows/transcribe-batch/workflow';
import { InvalidWorkflowInputError } from './errors';
import { baseRunHandle } from './handle';
import type { StartWorkflowOptions } from './options';
import { withStartDefaults } from './options';

/** Workflow type name of `transcribeBatch`. */
export const TRANSCRIBE_BATCH_WORKFLOW = 'transcribeBatch';

/** The type of the `transcribeBatch` workflow function, for typed handles without loading workflow code. */
export type TranscribeBatchWorkflow = typeof transcribeBatch;

/** A started (or existing) `transcribeBatch` run. */
export interface BatchHandle {
  readonly workflowId: string;
  /** Run id of the first run, when this handle started it (the batch continues as new, so later runs differ). */
  readonly firstExecutionRunId?: string;
  /** Progress from the workflow's progress query (needs a worker polling the task queue). */
  status(): Promise<BatchProgress>;
  /** Waits for the whole batch (following continue-as-new); per-item outcomes are in the manifest object. */
  result(): Promise<TranscribeBatchResult>;
  /** Requests cancellation of the batch and, through it, of its running items. */
  cancel(): Promise<void>;
  /** The underlying Temporal handle. */
  readonly workflow: WorkflowHandle<TranscribeBatchWorkflow>;
}

function toBatchHandle(workflow: WorkflowHandle<TranscribeBatchWorkflow>, runId?: string): BatchHandle {
  return { ...baseRunHandle(workflow, runId), status: () => workflow.query(batchProgressQuery) };
}

/**
 * Checks a batch input with the workflow's own rules; throws an {@link InvalidWorkflowInputError} listing every
 * problem. Pure: no network.
 */
export function validateBatchInput(input: TranscribeBatchInput): void {
  const problems =
    typeof input === 'object' && (input as unknown) !== null ? batchInputProblems(input) : ['input must be an object'];
  if (problems.length > 0) throw new InvalidWorkflowInputError(TRANSCRIBE_BATCH_WORKFLOW, problems);
}

/**
 * Validates `input` (see {@link validateBatchInput}) and starts `transcribeBatch`. Resolves once Temporal accepted
 * the start; see {@link executeBatch} to wait for the result.
 */
export async function startBatch(
  client: Client,
  input: TranscribeBatchInput,
  options: StartWorkflowOptions = {},
): Promise<BatchHandle> {
  validateBatchInput(input);
  const workflow = await client.workflow.start<TranscribeBatchWorkflow>(TRANSCRIBE_BATCH_WORKFLOW, {
    ...withStartDefaults(options, 'transcribe-batch'),
    args: [input],
  });
  return toBatchHandle(workflow, workflow.firstExecutionRunId);
}

/** Starts `transcribeBatch` and waits for its result. */
export async function executeBatch(
  client: Client,
  input: TranscribeBatchInput,
  options: StartWorkflowOptions = {},
): Promise<TranscribeBatchResult> {
  return await (await startBatch(client, input, options)).result();
}

/**
 * A handle on an existing `transcribeBatch` by workflow id: its latest run unless `runId` is given (a batch continues
 * as new, so a run id pins one run of the chain; `result()` still follows it to the end).
 */
export function getBatchHandle(client: Client, workflowId: string, runId?: string): BatchHandle {
  return toBatchHandle(client.workflow.getHandle<TranscribeBatchWorkflow>(workflowId, runId));
}
