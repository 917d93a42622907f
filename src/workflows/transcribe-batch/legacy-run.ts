import type { ChildWorkflowHandle } from '@temporalio/workflow';
import {
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  ParentClosePolicy,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { transcribeMedia } from '../transcribe-media/workflow';
import { failedOutcome, succeededOutcome } from './outcome';
import { batchOutcome, inputForNextRun, itemInputFor, ManifestParts, refillFromListing } from './steps';
import type {
  BatchContinuation,
  BatchItemOutcome,
  BatchProgress,
  TranscribeBatchInput,
  TranscribeBatchResult,
} from './types';

/**
 * A run of a batch started before the sliding window (patch `batch-sliding-window`): its children are awaited as
 * `transcribeMedia` children and the window drains before each continue-as-new. Kept so that batches in flight
 * during an upgrade replay and finish as they began; new batches use `SlidingBatchRun`.
 */
export class LegacyBatchRun {
  private readonly running = new Map<string, ChildWorkflowHandle<typeof transcribeMedia>>();
  private readonly manifest: ManifestParts;
  private startedThisRun = 0;
  private firstFailure?: BatchItemOutcome;

  constructor(
    private readonly input: TranscribeBatchInput,
    private readonly state: BatchContinuation,
  ) {
    this.manifest = new ManifestParts(input, state);
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
      await CancellationScope.nonCancellable(async () => {
        await condition(() => this.running.size === 0);
        await this.manifest.write();
      });
      throw err;
    }
  }

  private runIsFull(): boolean {
    return this.startedThisRun >= (this.input.itemsPerRun ?? 200) || workflowInfo().continueAsNewSuggested;
  }

  private async runWindow(): Promise<TranscribeBatchResult> {
    const maxInFlight = this.input.maxInFlight ?? 10;
    for (;;) {
      await refillFromListing(this.input, this.state, maxInFlight);
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
        if (!moreWork || this.firstFailure) {
          return batchOutcome(this.state, await this.manifest.write(), this.firstFailure);
        }
        if (this.runIsFull()) {
          await this.manifest.flush();
          await continueAsNew<(i: TranscribeBatchInput, c: BatchContinuation) => Promise<unknown>>(
            inputForNextRun(this.input),
            this.state,
          );
        }
        continue;
      }
      const before = this.manifest.outcomes.length;
      await condition(() => this.manifest.outcomes.length > before);
    }
  }

  private async startItem(key: string): Promise<void> {
    const index = this.state.nextItemIndex++;
    this.startedThisRun += 1;
    const workflowId = `${workflowInfo().workflowId}/item-${index}`;
    const handle = await startChild(transcribeMedia, {
      workflowId,
      args: [itemInputFor(this.input, key)],
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
    });
    this.running.set(workflowId, handle);
    handle.result().then(
      (result) => this.record(succeededOutcome(key, workflowId, result)),
      (err: unknown) => this.record(failedOutcome(key, workflowId, err)),
    );
  }

  private record(outcome: BatchItemOutcome): void {
    this.running.delete(outcome.workflowId);
    this.manifest.outcomes.push(outcome);
    if (outcome.status === 'succeeded') this.state.succeeded += 1;
    else {
      this.state.failed += 1;
      if (this.input.failOnItemFailure) this.firstFailure ??= outcome;
    }
  }
}
