import {
  CancellationScope,
  ContinueAsNew,
  getExternalWorkflowHandle,
  log,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import { pinnedWhenVersioned } from '../versioning';
import type { TranscriptionResult } from '../../contract';
import { batchItemDoneSignal } from '../messages';
import type { TranscribeMediaInput } from '../transcribe-media/input';
import type { TranscribeMediaContinuation } from '../transcribe-media/workflow';
import { transcribeMedia } from '../transcribe-media/workflow';
import { failedOutcome, succeededOutcome } from './outcome';
import type { BatchItemOutcome } from './types';

/** Input of `transcribeBatchItem`: one `transcribeMedia` input and where to report its end. */
export interface TranscribeBatchItemInput extends TranscribeMediaInput {
  /** The batch's workflow id (reports go to its current run) and the item's media key as the manifest lists it. */
  batch: { workflowId: string; key: string };
}

/**
 * One item of a batch: `transcribeMedia` itself (same steps, signals, queries and guarantees, run in this workflow),
 * followed by a report to the batch by workflow id. A batch continues as new while its items run, so an item's end
 * must reach a later run than the one that started it; a child-completion event only reaches the starting run.
 */
export async function transcribeBatchItem(
  input: TranscribeBatchItemInput,
  continuation?: TranscribeMediaContinuation,
): Promise<TranscriptionResult> {
  const { workflowId } = workflowInfo();
  let result: TranscriptionResult;
  try {
    // transcribeMedia continues as new with this same input, so the new run of this workflow keeps `batch`.
    result = await transcribeMedia(input, continuation);
  } catch (err) {
    if (err instanceof ContinueAsNew) throw err;
    // Also when the item was cancelled: the batch is waiting to record it.
    await CancellationScope.nonCancellable(() => report(input.batch, failedOutcome(input.batch.key, workflowId, err)));
    throw err;
  }
  await CancellationScope.nonCancellable(() =>
    report(input.batch, succeededOutcome(input.batch.key, workflowId, result)),
  );
  return result;
}

// An item is a transcription: pinned like transcribeMedia on a versioned worker (it starts on its batch's build).
setWorkflowOptions(pinnedWhenVersioned, transcribeBatchItem);

async function report(batch: TranscribeBatchItemInput['batch'], outcome: BatchItemOutcome): Promise<void> {
  try {
    await getExternalWorkflowHandle(batch.workflowId).signal(batchItemDoneSignal, outcome);
  } catch (err) {
    // The batch was terminated or reset away: the outcome is in this item's own history and result.
    log.warn('Batch item could not report to its batch', { batch: batch.workflowId, error: String(err) });
  }
}
