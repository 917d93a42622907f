import type { ChildWorkflowHandle } from '@temporalio/workflow';
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  ParentClosePolicy,
  continueAsNew,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/create-activities';
import { FailureType } from '../../shared/failure-types';
import { invalidInputFailure, workflowFailure } from '../failures';
import { batchProgressQuery } from '../messages';
import { transcribeMedia } from '../transcribe-media/workflow';
import type { TranscribeMediaInput } from '../transcribe-media/input';
import { DEFAULT_MEDIA_EXTENSIONS, DEFAULT_OUTPUT_KEY_TEMPLATE, outputKeyFor } from './naming';
import { batchInputProblems } from './validate';
import type { BatchItemOutcome, BatchProgress, TranscribeBatchInput, TranscribeBatchResult } from './types';

const { listMediaPage, writeBatchManifestPart, finalizeBatchManifest } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 20 },
});

/** State carried from one run of a batch to the next (continue-as-new). */
export interface BatchContinuation {
  pendingKeys: string[];
  listingMarker?: string;
  listingComplete: boolean;
  total: number;
  succeeded: number;
  failed: number;
  nextItemIndex: number;
  partKeys: string[];
  startedAt: string;
}

/** Objects read per listing page; bounds the keys a single activity result puts into history. */
const LISTING_PAGE_SIZE = 200;

/**
 * Transcribes many media files: runs `transcribeMedia` children in a sliding window of `maxInFlight`, lists a
 * prefix page by page, continues as new every `itemsPerRun` items, and stores per-item outcomes in a COS manifest
 * whose location it returns. A failed item fails the batch only with `failOnItemFailure`.
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
  const batch = new BatchRun(input, state);
  setHandler(batchProgressQuery, () => batch.progress());
  return await batch.execute();
}

/** One run of a batch: its window of children and the outcomes not yet written to the manifest. */
class BatchRun {
  private readonly running = new Map<string, ChildWorkflowHandle<typeof transcribeMedia>>();
  private readonly outcomes: BatchItemOutcome[] = [];
  private startedThisRun = 0;
  private firstFailure?: BatchItemOutcome;
  private readonly manifestKey: string;

  constructor(
    private readonly input: TranscribeBatchInput,
    private readonly state: BatchContinuation,
  ) {
    this.manifestKey = input.manifestKey ?? `asr/batches/${workflowInfo().workflowId}.manifest.json`;
  }

  progress(): BatchProgress {
    const { total, succeeded, failed, listingComplete } = this.state;
    return { total, succeeded, failed, running: this.running.size, listingComplete };
  }

  async execute(): Promise<TranscribeBatchResult> {
    try {
      return await this.runWindow();
    } catch (err) {
      if (!isCancellation(err)) throw err;
      // Cancelled: the children were asked to cancel (each cancels its own CI job); record how they ended, write the
      // manifest, and only then end as cancelled.
      await CancellationScope.nonCancellable(async () => {
        await condition(() => this.running.size === 0);
        await this.writeManifest();
      });
      throw err;
    }
  }

  /** Whether this run should stop starting items and continue as new once its children are done. */
  private runIsFull(): boolean {
    return this.startedThisRun >= (this.input.itemsPerRun ?? 200) || workflowInfo().continueAsNewSuggested;
  }

  private async runWindow(): Promise<TranscribeBatchResult> {
    const maxInFlight = this.input.maxInFlight ?? 10;
    for (;;) {
      await this.refillFromListing(maxInFlight);
      while (
        !this.firstFailure &&
        !this.runIsFull() &&
        this.running.size < maxInFlight &&
        this.state.pendingKeys.length > 0
      ) {
        await this.startItem(this.state.pendingKeys.shift()!);
      }
      if (this.running.size === 0) {
        const moreWork = this.state.pendingKeys.length > 0 || !this.state.listingComplete;
        if (!moreWork || this.firstFailure) return await this.finish();
        // Children must all be closed before continuing as new: the next run cannot await their results.
        if (this.runIsFull()) await this.continueAsNew();
        continue;
      }
      const before = this.outcomes.length;
      await condition(() => this.outcomes.length > before);
    }
  }

  private async refillFromListing(maxInFlight: number): Promise<void> {
    const source = this.input.source;
    if (this.state.listingComplete || !('prefix' in source)) return;
    const maxItems = this.input.maxItems ?? 10_000;
    // Pages of non-media objects start no items, so the history budget is checked here too.
    while (
      !this.state.listingComplete &&
      this.state.pendingKeys.length < maxInFlight &&
      this.state.total < maxItems &&
      !workflowInfo().continueAsNewSuggested
    ) {
      const page = await listMediaPage({
        bucket: this.input.bucket,
        region: this.input.region,
        prefix: source.prefix,
        marker: this.state.listingMarker,
        extensions: this.input.extensions ?? DEFAULT_MEDIA_EXTENSIONS,
        pageSize: LISTING_PAGE_SIZE,
      });
      const keys = page.keys.slice(0, maxItems - this.state.total);
      this.state.pendingKeys.push(...keys);
      this.state.total += keys.length;
      this.state.listingMarker = page.nextMarker;
      this.state.listingComplete = page.nextMarker === undefined || this.state.total >= maxItems;
    }
  }

  private async startItem(key: string): Promise<void> {
    const index = this.state.nextItemIndex++;
    this.startedThisRun += 1;
    const workflowId = `${workflowInfo().workflowId}/item-${index}`;
    const recognition = this.input.recognition as { speechRecognition?: { OutputFileType?: string } };
    const ext = recognition.speechRecognition?.OutputFileType === 'srt' ? 'srt' : 'txt';
    const childInput: TranscribeMediaInput = {
      ...this.input.item,
      media: { object: key },
      recognition: this.input.recognition,
      bucket: this.input.bucket,
      region: this.input.region,
      output: { key: outputKeyFor(this.input.outputKeyTemplate ?? DEFAULT_OUTPUT_KEY_TEMPLATE, key, ext) },
    };
    // If the batch closes without waiting (failure, termination), its children are asked to cancel, which cancels
    // their CI jobs, rather than being terminated with their jobs left running and billed.
    const handle = await startChild(transcribeMedia, {
      workflowId,
      args: [childInput],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    this.running.set(workflowId, handle);
    handle.result().then(
      (result) =>
        this.record({
          key,
          workflowId,
          status: 'succeeded',
          jobId: result.jobId,
          resultUri: result.resultObject.uri,
          manifestUri: result.manifestObject.uri,
        }),
      (err: unknown) => this.record({ key, workflowId, status: 'failed', error: describeFailure(err) }),
    );
  }

  private record(outcome: BatchItemOutcome): void {
    this.running.delete(outcome.workflowId);
    this.outcomes.push(outcome);
    if (outcome.status === 'succeeded') this.state.succeeded += 1;
    else {
      this.state.failed += 1;
      if (this.input.failOnItemFailure) this.firstFailure ??= outcome;
    }
  }

  private async flushOutcomes(): Promise<void> {
    if (this.outcomes.length === 0) return;
    const partKey = await writeBatchManifestPart({
      bucket: this.input.bucket,
      region: this.input.region,
      manifestKey: this.manifestKey,
      partIndex: this.state.partKeys.length,
      items: this.outcomes.splice(0, this.outcomes.length),
    });
    this.state.partKeys.push(partKey);
  }

  private async writeManifest() {
    await this.flushOutcomes();
    const { total, succeeded, failed, startedAt, partKeys } = this.state;
    return await finalizeBatchManifest({
      bucket: this.input.bucket,
      region: this.input.region,
      manifestKey: this.manifestKey,
      partKeys,
      summary: { batchWorkflowId: workflowInfo().workflowId, total, succeeded, failed, startedAt },
    });
  }

  private async finish(): Promise<TranscribeBatchResult> {
    const manifestObject = await this.writeManifest();
    const { total, succeeded, failed } = this.state;
    if (this.firstFailure) {
      const message = `Batch item ${this.firstFailure.key} failed: ${this.firstFailure.error?.message ?? 'unknown error'}`;
      const details = { failedItem: this.firstFailure, manifest: manifestObject.uri, succeeded, failed };
      throw workflowFailure(FailureType.BatchItemFailed, message, details);
    }
    return { total, succeeded, failed, manifestObject };
  }

  private async continueAsNew(): Promise<never> {
    await this.flushOutcomes();
    // The keys left to do travel in the continuation only, so the payload does not carry the list twice.
    const input = 'keys' in this.input.source ? { ...this.input, source: { keys: [] } } : this.input;
    return await continueAsNew<typeof transcribeBatch>(input, this.state);
  }
}

/** The type and message of a child's failure: the first typed `ApplicationFailure` in its cause chain. */
function describeFailure(err: unknown): { type?: string; message: string } {
  let innermost: unknown = err;
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type) return { type: cause.type, message: cause.message };
    innermost = cause;
  }
  return { message: innermost instanceof Error ? innermost.message : String(innermost) };
}
