import { CancellationScope, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../contract';
import type { ObjectLocation } from '../../contract';
import { FailureType } from '../../shared/failure-types';
import { workflowFailure } from '../failures';
import type { TranscribeMediaInput } from '../transcribe-media/input';
import { DEFAULT_MEDIA_EXTENSIONS, DEFAULT_OUTPUT_KEY_TEMPLATE, outputKeyFor } from './naming';
import type { BatchContinuation, BatchItemOutcome, TranscribeBatchInput, TranscribeBatchResult } from './types';

const { listMediaPage, writeBatchManifestPart, finalizeBatchManifest } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** Objects read per listing page; bounds the keys a single activity result puts into history. */
const LISTING_PAGE_SIZE = 200;

/**
 * Lists more of a prefix until `wanted` keys are pending (or the listing or `maxItems` ends). Pages of non-media
 * objects start no items, so the history budget is checked here too.
 */
export async function refillFromListing(
  input: TranscribeBatchInput,
  state: BatchContinuation,
  wanted: number,
): Promise<void> {
  const source = input.source;
  if (state.listingComplete || !('prefix' in source)) return;
  const maxItems = input.maxItems ?? 10_000;
  while (
    !state.listingComplete &&
    state.pendingKeys.length < wanted &&
    state.total < maxItems &&
    !workflowInfo().continueAsNewSuggested
  ) {
    const page = await listMediaPage({
      bucket: input.bucket,
      region: input.region,
      prefix: source.prefix,
      marker: state.listingMarker,
      extensions: input.extensions ?? DEFAULT_MEDIA_EXTENSIONS,
      pageSize: LISTING_PAGE_SIZE,
    });
    const keys = page.keys.slice(0, maxItems - state.total);
    state.pendingKeys.push(...keys);
    state.total += keys.length;
    state.listingMarker = page.nextMarker;
    state.listingComplete = page.nextMarker === undefined || state.total >= maxItems;
  }
}

/** The `transcribeMedia` input of one batch item. */
export function itemInputFor(input: TranscribeBatchInput, key: string): TranscribeMediaInput {
  const recognition = input.recognition as { speechRecognition?: { OutputFileType?: string } };
  const ext = recognition.speechRecognition?.OutputFileType === 'srt' ? 'srt' : 'txt';
  return {
    ...input.item,
    media: { object: key },
    recognition: input.recognition,
    bucket: input.bucket,
    region: input.region,
    output: { key: outputKeyFor(input.outputKeyTemplate ?? DEFAULT_OUTPUT_KEY_TEMPLATE, key, ext) },
  };
}

/** Outcomes not yet written, and the manifest parts (in COS) and final manifest they go to. */
export class ManifestParts {
  readonly outcomes: BatchItemOutcome[] = [];
  private readonly manifestKey: string;

  constructor(
    private readonly input: TranscribeBatchInput,
    private readonly state: BatchContinuation,
  ) {
    this.manifestKey = input.manifestKey ?? `asr/batches/${workflowInfo().workflowId}.manifest.json`;
  }

  /**
   * Writes the outcomes recorded so far as the next part (nothing when there are none). The write is not cancellable
   * and the outcomes leave the list only once written: neither a cancel nor a failed write loses one.
   */
  async flush(): Promise<void> {
    const items = [...this.outcomes];
    if (items.length === 0) return;
    const partKey = await CancellationScope.nonCancellable(() =>
      writeBatchManifestPart({
        bucket: this.input.bucket,
        region: this.input.region,
        manifestKey: this.manifestKey,
        partIndex: this.state.partKeys.length,
        items,
      }),
    );
    // Reports recorded during the write stay for the next part.
    this.outcomes.splice(0, items.length);
    this.state.partKeys.push(partKey);
  }

  /** Flushes, then merges every part into the final manifest. */
  async write(): Promise<ObjectLocation> {
    await this.flush();
    const { total, succeeded, failed, startedAt, partKeys } = this.state;
    return await finalizeBatchManifest({
      bucket: this.input.bucket,
      region: this.input.region,
      manifestKey: this.manifestKey,
      partKeys,
      summary: { batchWorkflowId: workflowInfo().workflowId, total, succeeded, failed, startedAt },
    });
  }
}

/** The batch's result, or its `BatchItemFailed` failure when `failOnItemFailure` saw an item fail. */
export function batchOutcome(
  state: BatchContinuation,
  manifestObject: ObjectLocation,
  firstFailure: BatchItemOutcome | undefined,
): TranscribeBatchResult {
  const { total, succeeded, failed } = state;
  if (firstFailure) {
    const message = `Batch item ${firstFailure.key} failed: ${firstFailure.error?.message ?? 'unknown error'}`;
    const details = { failedItem: firstFailure, manifest: manifestObject.uri, succeeded, failed };
    throw workflowFailure(FailureType.BatchItemFailed, message, details);
  }
  return { total, succeeded, failed, manifestObject };
}

/** The input the next run gets: a key list travels in the continuation only, so it is not carried twice. */
export function inputForNextRun(input: TranscribeBatchInput): TranscribeBatchInput {
  return 'keys' in input.source ? { ...input, source: { keys: [] } } : input;
}
