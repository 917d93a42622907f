import type { Client, WorkflowHandle } from '@temporalio/client';
import { batchProgressQuery } from '../workflows/messages';
import { resolveTranscribeMediaInput } from '../workflows/transcribe-media/input';
import type { BatchProgress, TranscribeBatchInput, TranscribeBatchResult } from '../workflows/transcribe-batch/types';
import { InvalidWorkflowInputError } from './errors';
import type { StartWorkflowOptions } from './options';
import { withStartDefaults } from './options';

/** Workflow type name of `transcribeBatch`. */
export const TRANSCRIBE_BATCH_WORKFLOW = 'transcribeBatch';

/** The signature of the `transcribeBatch` workflow, for typed handles without loading workflow code. */
export type TranscribeBatchWorkflow = (input: TranscribeBatchInput) => Promise<TranscribeBatchResult>;

/** A started (or existing) `transcribeBatch` run. */
export interface BatchHandle {
  readonly workflowId: string;
  /** Run id of the first run, when this handle started it (the batch continues as new, so later runs differ). */
  readonly firstExecutionRunId?: string;
  /** Progress from the workflow's progress query (needs a worker polling the task queue). */
  progress(): Promise<BatchProgress>;
  /** Waits for the whole batch (following continue-as-new); per-item outcomes are in the manifest object. */
  result(): Promise<TranscribeBatchResult>;
  /** Requests cancellation of the batch and, through it, of its running items. */
  cancel(): Promise<void>;
  /** The underlying Temporal handle. */
  readonly workflow: WorkflowHandle<TranscribeBatchWorkflow>;
}

function sourceProblems(source: unknown): string[] {
  if (typeof source !== 'object' || source === null) return ['source is required: { keys } or { prefix }'];
  const { keys, prefix } = source as { keys?: unknown; prefix?: unknown };
  if ((keys === undefined) === (prefix === undefined)) return ['source takes exactly one of keys or prefix'];
  if (prefix !== undefined) return typeof prefix === 'string' ? [] : ['source.prefix must be a string'];
  const ok = Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string' && k.trim() !== '');
  return ok ? [] : ['source.keys must be a non-empty list of object keys'];
}

/**
 * Problems of a batch input, checked on the client before starting: the source, the window, and the recognition and
 * per-item settings (with the same rules `transcribeMedia` applies to each item).
 */
export function batchInputProblems(input: TranscribeBatchInput): string[] {
  if (typeof input !== 'object' || input === null) return ['input must be an object'];
  const problems = sourceProblems(input.source);
  const { maxInFlight } = input;
  if (maxInFlight !== undefined && (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 100)) {
    problems.push(`maxInFlight must be a whole number from 1 to 100 (got ${String(maxInFlight)})`);
  }
  const item = resolveTranscribeMediaInput({
    ...input.item,
    media: { object: 'batch-item' },
    recognition: input.recognition,
  });
  if (!item.ok) problems.push(...item.problems);
  return problems;
}

function toBatchHandle(workflow: WorkflowHandle<TranscribeBatchWorkflow>, runId?: string): BatchHandle {
  return {
    workflowId: workflow.workflowId,
    firstExecutionRunId: runId,
    workflow,
    progress: () => workflow.query(batchProgressQuery),
    result: () => workflow.result(),
    cancel: async () => {
      await workflow.cancel();
    },
  };
}

/** Validates `input` (throws {@link InvalidWorkflowInputError}) and starts `transcribeBatch`. */
export async function startBatch(
  client: Client,
  input: TranscribeBatchInput,
  options: StartWorkflowOptions = {},
): Promise<BatchHandle> {
  const problems = batchInputProblems(input);
  if (problems.length > 0) throw new InvalidWorkflowInputError(TRANSCRIBE_BATCH_WORKFLOW, problems);
  const workflow = await client.workflow.start<TranscribeBatchWorkflow>(TRANSCRIBE_BATCH_WORKFLOW, {
    ...withStartDefaults(options, 'transcribe-batch'),
    args: [input],
  });
  return toBatchHandle(workflow, workflow.firstExecutionRunId);
}

/** Starts `transcribeBatch` and waits for its result. */
export async function transcribeBatchAndWait(
  client: Client,
  input: TranscribeBatchInput,
  options: StartWorkflowOptions = {},
): Promise<TranscribeBatchResult> {
  return await (await startBatch(client, input, options)).result();
}

/** A handle on an existing `transcribeBatch` run by workflow id. */
export function getBatchHandle(client: Client, workflowId: string): BatchHandle {
  return toBatchHandle(client.workflow.getHandle<TranscribeBatchWorkflow>(workflowId));
}
