import {
  ActivityFailure,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../../contract';
import { ciQuotaTaskQueue } from '../../shared/constants';
import { batchItemDoneSignal } from '../messages';
import { transcribeBatchItem } from './item';
import { failedOutcome, succeededOutcome } from './outcome';
import { etaSeconds, itemsPerMinute, quotaWait, withCompletion } from './progress';
import { batchOutcome, inputForNextRun, itemInputFor, ManifestParts, refillFromListing } from './steps';
import type {
  BatchContinuation,
  BatchItemOutcome,
  BatchItemRef,
  BatchProgress,
  TranscribeBatchInput,
  TranscribeBatchResult,
} from './types';

const { readQueueConcurrency } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/** One admission per item from the shared, rate-limited quota queue; a slow grant is a wait, never a failure. */
function admission() {
  return proxyActivities<Activities>({
    taskQueue: ciQuotaTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  }).admitCiSubmit;
}

/**
 * A run of a batch with a window that slides across continue-as-new: items are `transcribeBatchItem` workflows with
 * a deterministic id each, abandoned by the run that starts them (they outlive its continue-as-new) and reporting
 * their end by signal to the batch's workflow id. A run continues as new carrying the items still running, the keys
 * not started and the listing cursor; its outcomes are in the COS manifest parts already.
 */
export class SlidingBatchRun {
  private readonly inFlight = new Map<string, BatchItemRef>();
  private readonly manifest: ManifestParts;
  private readonly cancelRequested = new Set<string>();
  private readonly admit = admission();
  /** Admissions and child starts not yet confirmed; a run continues as new only when none are left. */
  private starting = 0;
  /** Workflow time (epoch ms) each admission not granted yet was asked for, by item workflow id. */
  private readonly admissionsAsked = new Map<string, number>();
  private startedThisRun = 0;
  private changes = 0;
  private firstFailure?: BatchItemOutcome;
  private capIsQuota = false;

  constructor(
    private readonly input: TranscribeBatchInput,
    private readonly state: BatchContinuation,
  ) {
    this.manifest = new ManifestParts(input, state);
    for (const item of state.inFlight ?? []) this.inFlight.set(item.workflowId, item);
    setHandler(batchItemDoneSignal, (outcome) => this.record(outcome));
  }

  progress(): BatchProgress {
    const { total, succeeded, failed, listingComplete } = this.state;
    const perMinute = itemsPerMinute(this.state.recentCompletions ?? []);
    const cap = this.cap();
    return {
      total,
      succeeded,
      failed,
      running: this.inFlight.size,
      listingComplete,
      itemsPerMinute: perMinute === undefined ? undefined : Math.round(perMinute * 10) / 10,
      etaSeconds: listingComplete ? etaSeconds(total - succeeded - failed, perMinute) : undefined,
      concurrencyCap: cap,
      waitingForQuota: quotaWait({
        canStartMore: this.canStartMore(),
        running: this.inFlight.size,
        cap,
        capIsQuota: this.capIsQuota,
        // In a query, Date.now() is the time of the latest workflow task: good enough for "longer than 2 s".
        oldestAdmissionWaitMs: Math.max(0, ...[...this.admissionsAsked.values()].map((at) => Date.now() - at)),
      }),
    };
  }

  async execute(): Promise<TranscribeBatchResult> {
    try {
      await this.resolveCap();
      return await this.runWindow();
    } catch (err) {
      if (!isCancellation(err)) throw err;
      // Cancelled: items are abandoned children, so the batch cancels them itself (each cancels its CI job), records
      // how they ended, writes the manifest, and only then ends as cancelled.
      await CancellationScope.nonCancellable(async () => {
        await this.cancelAllItems();
        await this.manifest.write();
      });
      throw err;
    }
  }

  private cap(): number {
    return this.state.concurrencyCap ?? this.input.maxInFlight ?? 10;
  }

  private occupied(): number {
    return this.inFlight.size + this.starting;
  }

  /** Whether this run has started its share of items (or its history is long enough) and should continue as new. */
  private runIsFull(): boolean {
    return this.startedThisRun >= (this.input.itemsPerRun ?? 200) || workflowInfo().continueAsNewSuggested;
  }

  private canStartMore(): boolean {
    return !this.firstFailure && !this.runIsFull() && this.state.pendingKeys.length > 0;
  }

  /** Caps the window by the CI queue's `MaxConcurrent` (or `ciConcurrency`), once per batch. */
  private async resolveCap(): Promise<void> {
    const wanted = this.input.maxInFlight ?? 10;
    let queueCap = this.input.ciConcurrency;
    if (this.state.concurrencyCap === undefined && queueCap === undefined) {
      queueCap = await readQueueConcurrency({
        bucket: this.input.bucket,
        region: this.input.region,
        queueId: this.input.item?.queueId,
      }).catch((err: unknown) => {
        if (!(err instanceof ActivityFailure)) throw err;
        log.warn('Could not read the CI queue concurrency; the window is maxInFlight', { error: err.message });
        return undefined;
      });
    }
    if (this.state.concurrencyCap === undefined) this.state.concurrencyCap = Math.min(wanted, queueCap ?? wanted);
    this.capIsQuota = this.state.concurrencyCap < wanted;
  }

  private async runWindow(): Promise<TranscribeBatchResult> {
    for (;;) {
      if (this.firstFailure) {
        await this.cancelAllItems();
        return batchOutcome(this.state, await this.manifest.write(), this.firstFailure);
      }
      await refillFromListing(this.input, this.state, this.cap());
      while (this.canStartMore() && this.occupied() < this.cap()) {
        this.startItem(this.state.pendingKeys.shift()!);
      }
      if (this.occupied() === 0 && this.state.pendingKeys.length === 0 && this.state.listingComplete) {
        return batchOutcome(this.state, await this.manifest.write(), undefined);
      }
      const moreToStart = this.state.pendingKeys.length > 0 || !this.state.listingComplete;
      // Items still running travel with the continuation; starts in progress must be confirmed first.
      if (!this.firstFailure && this.starting === 0 && moreToStart && this.runIsFull()) await this.continueAsNew();
      const seen = this.changes;
      await condition(() => this.changes > seen);
    }
  }

  /** Admits, then starts one item; runs in the background, and every way it ends is recorded. */
  private startItem(key: string): void {
    const workflowId = `${workflowInfo().workflowId}/item-${this.state.nextItemIndex++}`;
    this.startedThisRun += 1;
    this.starting += 1;
    this.admissionsAsked.set(workflowId, Date.now());
    this.admitThenStart(key, workflowId)
      .catch((err: unknown) => {
        // Only a cancelled batch gets here (the admission was cancelled): the item was never started.
        if (!isCancellation(err)) throw err;
      })
      .finally(() => {
        this.starting -= 1;
        this.changes += 1;
      });
  }

  private async admitThenStart(key: string, workflowId: string): Promise<void> {
    try {
      await this.admit();
    } finally {
      this.admissionsAsked.delete(workflowId);
    }
    if (this.firstFailure) return void this.state.pendingKeys.unshift(key);
    // Known before the start resolves: the item's report can arrive in the same activation as its start.
    this.inFlight.set(workflowId, { key, workflowId });
    try {
      // Not cancellable: once asked for, the start is seen through, so a cancelled batch knows what to cancel.
      const handle = await CancellationScope.nonCancellable(() =>
        startChild(transcribeBatchItem, {
          workflowId,
          args: [{ ...itemInputFor(this.input, key), batch: { workflowId: workflowInfo().workflowId, key } }],
          // Items outlive this run's continue-as-new; the batch cancels them itself when it is cancelled or fails.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          // An item id is started once ever: a reset or replayed start cannot run (and bill) an item twice.
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }),
      );
      // A child started by this run also reports through its result (e.g. when it was terminated).
      handle.result().then(
        (result) => this.record(succeededOutcome(key, workflowId, result)),
        (err: unknown) => this.record(failedOutcome(key, workflowId, err)),
      );
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      this.record(failedOutcome(key, workflowId, new Error(`item ${workflowId} was already started once`)));
    }
  }

  /** Records an item's end once (its signal and its result may both arrive). */
  private record(outcome: BatchItemOutcome): void {
    if (!this.inFlight.delete(outcome.workflowId)) return;
    this.changes += 1;
    this.manifest.outcomes.push(outcome);
    this.state.recentCompletions = withCompletion(this.state.recentCompletions ?? [], Date.now());
    if (outcome.status === 'succeeded') this.state.succeeded += 1;
    else {
      this.state.failed += 1;
      if (this.input.failOnItemFailure) this.firstFailure ??= outcome;
    }
  }

  /** Asks every running item to cancel (each cancels its CI job) and waits until all have reported. */
  private async cancelAllItems(): Promise<void> {
    for (;;) {
      const requests = [...this.inFlight.keys()]
        .filter((id) => !this.cancelRequested.has(id))
        .map(async (id) => {
          this.cancelRequested.add(id);
          // Fails when the item has just ended; its report is on the way.
          await getExternalWorkflowHandle(id)
            .cancel()
            .catch(() => undefined);
        });
      await Promise.all(requests);
      if (this.occupied() === 0) return;
      const seen = this.changes;
      await condition(() => this.changes > seen);
    }
  }

  private async continueAsNew(): Promise<never> {
    // Reports that arrive while a part is written are flushed too: nothing recorded may stay behind in this run.
    while (this.manifest.outcomes.length > 0) await this.manifest.flush();
    this.state.inFlight = [...this.inFlight.values()];
    return await continueAsNew<(i: TranscribeBatchInput, c: BatchContinuation) => Promise<unknown>>(
      inputForNextRun(this.input),
      this.state,
    );
  }
}
