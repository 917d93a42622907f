import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TranscriptionResult } from '../contract';
import type { TranscriptionStatus } from '../workflows/messages';
import { transcriptionStatusQuery } from '../workflows/messages';
import type { TranscribeMediaInput } from '../workflows/transcribe-media/input';
import { resolveTranscribeMediaInput } from '../workflows/transcribe-media/input';
import type { transcribeMedia } from '../workflows/transcribe-media/workflow';
import { InvalidWorkflowInputError } from './errors';
import { baseRunHandle } from './handle';
import type { StartWorkflowOptions } from './options';
import { withStartDefaults } from './options';

/** Workflow type name of `transcribeMedia` (started by name so client code never loads workflow code). */
export const TRANSCRIBE_MEDIA_WORKFLOW = 'transcribeMedia';

/** A started (or existing) `transcribeMedia` run, with typed access to its query, result and cancellation. */
export interface TranscriptionHandle {
  readonly workflowId: string;
  /** Run id of the first run, when this handle started it. */
  readonly firstExecutionRunId?: string;
  /** Live status from the workflow's status query (needs a worker polling the task queue). */
  status(): Promise<TranscriptionStatus>;
  /** Waits for the run to finish; rejects with `WorkflowFailedError` when it fails, is cancelled or times out. */
  result(): Promise<TranscriptionResult>;
  /** Requests cancellation; the workflow cancels the CI job when CI still allows it. */
  cancel(): Promise<void>;
  /** The underlying Temporal handle, for anything else (describe, history, terminate). */
  readonly workflow: WorkflowHandle<typeof transcribeMedia>;
}

/**
 * Checks an input with the workflow's own rules; throws an {@link InvalidWorkflowInputError} listing every problem.
 * Pure: no network.
 */
export function validateTranscriptionInput(input: TranscribeMediaInput): void {
  const resolution = resolveTranscribeMediaInput(input);
  if (!resolution.ok) throw new InvalidWorkflowInputError(TRANSCRIBE_MEDIA_WORKFLOW, resolution.problems);
}

function toTranscriptionHandle(workflow: WorkflowHandle<typeof transcribeMedia>, runId?: string): TranscriptionHandle {
  return { ...baseRunHandle(workflow, runId), status: () => workflow.query(transcriptionStatusQuery) };
}

/**
 * Validates `input` and starts `transcribeMedia`. Resolves once Temporal accepted the start, not when the
 * transcription is done; see {@link executeTranscription} for that.
 */
export async function startTranscription(
  client: Client,
  input: TranscribeMediaInput,
  options: StartWorkflowOptions = {},
): Promise<TranscriptionHandle> {
  validateTranscriptionInput(input);
  const workflow = await client.workflow.start<typeof transcribeMedia>(TRANSCRIBE_MEDIA_WORKFLOW, {
    ...withStartDefaults(options, 'transcribe'),
    args: [input],
  });
  return toTranscriptionHandle(workflow, workflow.firstExecutionRunId);
}

/** Starts `transcribeMedia` and waits for its result: where the transcript and its manifest are in COS. */
export async function executeTranscription(
  client: Client,
  input: TranscribeMediaInput,
  options: StartWorkflowOptions = {},
): Promise<TranscriptionResult> {
  const handle = await startTranscription(client, input, options);
  return await handle.result();
}

/** A handle on an existing `transcribeMedia` by workflow id: its latest run unless `runId` is given. */
export function getTranscriptionHandle(client: Client, workflowId: string, runId?: string): TranscriptionHandle {
  return toTranscriptionHandle(client.workflow.getHandle<typeof transcribeMedia>(workflowId, runId));
}
