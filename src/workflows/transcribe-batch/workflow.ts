import { setHandler, setWorkflowOptions } from '@temporalio/workflow';
import { pinnedWhenVersioned } from '../versioning';
import { invalidInputFailure } from '../failures';
import { batchProgressQuery } from '../messages';
import { SlidingBatchRun } from './sliding-run';
import type { BatchContinuation, TranscribeBatchInput, TranscribeBatchResult } from './types';
import { batchInputProblems } from './validate';

/**
 * Transcribes many media files: runs one item workflow per file in a window of `maxInFlight` (capped by the CI
 * queue's `MaxConcurrent`, each start admitted by the shared CI submit rate limit), lists a prefix page by page,
 * continues as new every `itemsPerRun` items without draining the window, and stores per-item outcomes in a COS
 * manifest whose location it returns. A failed item fails the batch only with `failOnItemFailure`, which cancels the
 * items still running (and their CI jobs) and writes the manifest first.
 */
export async function transcribeBatch(
  input: TranscribeBatchInput,
  continuation?: BatchContinuation,
): Promise<TranscribeBatchResult> {
  // A continued run's input comes from the previous run, already checked (its keys moved into the continuation).
  const problems = continuation ? [] : batchInputProblems(input);
  if (problems.length > 0) {
    throw invalidInputFailure('transcribeBatch', problems);
  }
  // The same key twice would be a second billed job writing the same output.
  const keys = 'keys' in input.source ? [...new Set(input.source.keys)] : undefined;
  const state: BatchContinuation = continuation ?? {
    pendingKeys: keys ?? [],
    listingComplete: keys !== undefined,
    total: keys?.length ?? 0,
    succeeded: 0,
    failed: 0,
    nextItemIndex: 0,
    partKeys: [],
    startedAt: new Date().toISOString(),
  };
  const batch = new SlidingBatchRun(input, state);
  setHandler(batchProgressQuery, () => batch.progress());
  return await batch.execute();
}

// PINNED on a versioned worker: a batch, its continue-as-new runs and the items they start stay on the build it
// started on, whose workers run until the batch ends (docs/upgrading.md, "Behaviour of each workflow").
setWorkflowOptions(pinnedWhenVersioned, transcribeBatch);
