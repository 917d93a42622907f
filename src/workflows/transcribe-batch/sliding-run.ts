import {
  CancellationScope,
  CancelledFailure,
  condition,
  ContinueAsNew,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  log,
  ParentClosePolicy,
  setHandler,
  sleep,
  startChild,
  WorkflowIdReusePolicy,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ObjectLocation } from '../../contract';
import { batchItemDoneSignal } from '../messages';
import { transcribeBatchItem } from './item';
import { admission, resolveConcurrencyCap } from './quota';
import { batchItemWorkflowId } from './naming';
import { failedOutcome, succeededOutcome } from './outcome';
import { batchProgress, withCompletion } from './progress';
import { closedItems, nextReconcileDelay, RECONCILE_FIRST_MS } from './reconcile';
import { batchOutcome, inputForNextRun, itemInputFor, ManifestParts, refillFromListing } from './steps';
import type {
  BatchContinuation,
  BatchItemOutcome,
  BatchItemRef,
  BatchProgress,
  TranscribeBatchInput,
  TranscribeBatchResult,
} from './types';

/**
 * A run of a batch with a window that slides across continue-as-new: items are `transcribeBatchItem` workflows with
 * a deterministic id each, abandoned by the run that starts them (they outlive its continue-as-new) and reporting
 * their end by signal to the batch's workflow id. A run continues as new carrying the items still running, the keys
 * not started and the listing cursor; its outcomes are in the COS manifest parts already, and a failure that stops
 * the batch stops it in the run that recorded it (never carried). Carried items, which no child result reports, are
 * looked up now and then: one closed without reporting (terminated, timed out) is recorded as it ended.
 */
export class SlidingBatchRun {
  private readonly inFlight = new Map<string, BatchItemRef>();
  private readonly manifest: ManifestParts;
  private readonly cancelRequested = new Set<string>();
  /** Items carried over from an earlier run: no child result reports them. */
  private readonly carriedIds = new Set<string>();
  /** Items whose start this run has seen confirmed: their child result reports them too. */
  private readonly watched = new Set<string>();
  private readonly admit = admission();
  /** Admissions in progress, cancelled when the batch stops. */
  private readonly admissions = new CancellationScope();
  /** Admissions and child starts not yet confirmed; a run continues as new only when none are left. */
  private starting = 0;
  /** Workflow time (epoch ms) each admission not granted yet was asked for, by item workflow id. */
  private readonly admissionsAsked = new Map<string, number>();
  private startedThisRun = 0;
  private changes = 0;
  private firstFailure?: BatchItemOutcome;
  /** Set when the batch stops (a failure, a cancel): no item starts any more. */
  private stopping = false;
  /** Set once the final manifest is being written: a failure after that only ends the run. */
  private ending = false;
  private capIsQuota = false;

  constructor(
    private readonly input: TranscribeBatchInput,
    private readonly state: BatchContinuation,
  ) {
    this.manifest = new ManifestParts(input, state);
    for (const item of state.inFlight ?? []) {
      this.inFlight.set(item.workflowId, item);
      this.carriedIds.add(item.workflowId);
    }
    setHandler(batchItemDoneSignal, (outcome) => this.record(outcome));
  }

  progress(): BatchProgress {
    return batchProgress(this.state, {
      running: this.inFlight.size,
      cap: this.cap(),
      canStartMore: this.canStartMore(),
      capIsQuota: this.capIsQuota,
      admissionsAskedAt: [...this.admissionsAsked.values()],
    });
  }

  async execute(): Promise<TranscribeBatchResult> {
    if (this.carried().length > 0) {
      this.watchCarried().catch((err: unknown) => {
        if (!isCancellation(err)) throw err;
      });
    }
    try {
      await this.resolveCap();
      return await this.runWindow();
    } catch (err) {
      if (err instanceof ContinueAsNew || this.ending) throw err;
      // Any failure, a cancel or not: items are abandoned children, so the batch cancels them itself (each cancels
      // its CI job), records how they ended, writes the manifest, and only then ends with the failure.
      await CancellationScope.nonCancellable(() => this.stop()).catch((stopErr: unknown) => {
        log.error('Batch could not write its manifest while ending', { error: String(stopErr) });
      });
      throw err;
    }
  }

  /** Stops starting items, cancels the running ones, waits for their outcomes and writes the final manifest. */
  private async stop(): Promise<ObjectLocation> {
    this.stopping = true;
    this.admissions.cancel();
    await this.cancelAllItems();
    this.ending = true;
    return await this.manifest.write();
  }

  /** Items carried over from an earlier run, still without a report. */
  private carried(): BatchItemRef[] {
    return [...this.inFlight.values()].filter((item) => this.carriedIds.has(item.workflowId));
  }

  /** Running items known to be started (not those whose start is still being confirmed). */
  private started(): BatchItemRef[] {
    return [...this.inFlight.values()].filter(
      (i) => this.carriedIds.has(i.workflowId) || this.watched.has(i.workflowId),
    );
  }

  /** Looks up the carried items now and then (see `reconcile.ts`) until each has an outcome. */
  private async watchCarried(): Promise<void> {
    for (let delay = RECONCILE_FIRST_MS; this.carried().length > 0; delay = nextReconcileDelay(delay)) {
      await sleep(delay);
      for (const outcome of await closedItems(this.carried())) this.record(outcome);
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
    return !this.firstFailure && !this.stopping && !this.runIsFull() && this.state.pendingKeys.length > 0;
  }

  /** Caps the window by the CI queue's `MaxConcurrent` (or `ciConcurrency`), once per batch. */
  private async resolveCap(): Promise<void> {
    this.capIsQuota = await resolveConcurrencyCap(this.input, this.state);
  }

  private async runWindow(): Promise<TranscribeBatchResult> {
    for (;;) {
      if (this.firstFailure) return batchOutcome(this.state, await this.stop(), this.firstFailure);
      await refillFromListing(this.input, this.state, this.cap());
      while (this.canStartMore() && this.occupied() < this.cap()) {
        this.startItem(this.state.pendingKeys.shift()!);
      }
      if (this.occupied() === 0 && this.state.pendingKeys.length === 0 && this.state.listingComplete) {
        this.ending = true;
        return batchOutcome(this.state, await this.manifest.write(), undefined);
      }
      const moreToStart = this.state.pendingKeys.length > 0 || !this.state.listingComplete;
      // Items still running travel with the continuation; starts in progress must be confirmed first.
      if (!this.firstFailure && this.starting === 0 && moreToStart && this.runIsFull()) {
        await this.continueAsNew();
        continue; // A failure was recorded while the manifest was written: the batch stops instead.
      }
      const seen = this.changes;
      await condition(() => this.changes > seen);
    }
  }

  /** Admits, then starts one item; runs in the background, and every way it ends is recorded. */
  private startItem(key: string): void {
    const { workflowId: batchId, firstExecutionRunId } = workflowInfo();
    const workflowId = batchItemWorkflowId(batchId, firstExecutionRunId, this.state.nextItemIndex++);
    this.startedThisRun += 1;
    this.starting += 1;
    this.admissionsAsked.set(workflowId, Date.now());
    this.admitThenStart(key, workflowId)
      .catch((err: unknown) => {
        // Only a stopping batch gets here (the admission was cancelled): the item was never started.
        if (!isCancellation(err)) throw err;
      })
      .finally(() => {
        this.starting -= 1;
        this.changes += 1;
      });
  }

  private async admitThenStart(key: string, workflowId: string): Promise<void> {
    try {
      await this.admissions.run(() => this.admit());
    } finally {
      this.admissionsAsked.delete(workflowId);
    }
    if (this.firstFailure || this.stopping) return void this.state.pendingKeys.unshift(key);
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
          // An item id is started once per chain: a reset or replayed start cannot run (and bill) an item twice.
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        }),
      );
      // A child started by this run also reports through its result (e.g. when it was terminated).
      this.watched.add(workflowId);
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

  /**
   * Asks every running item to cancel (each cancels its CI job) and waits until each has an outcome: an item that
   * cannot be cancelled or does not report for a while is looked up, so one closed without reporting ends the wait.
   */
  private async cancelAllItems(): Promise<void> {
    for (let delay = RECONCILE_FIRST_MS; ; delay = nextReconcileDelay(delay)) {
      const closed: BatchItemRef[] = [];
      const requests = this.started()
        .filter((item) => !this.cancelRequested.has(item.workflowId))
        .map(async (item) => {
          this.cancelRequested.add(item.workflowId);
          // Fails when the item has closed: its report may be on the way, or never come (terminated, timed out).
          await getExternalWorkflowHandle(item.workflowId)
            .cancel()
            .catch(() => closed.push(item));
        });
      await Promise.all(requests);
      for (const outcome of await closedItems(closed)) this.record(outcome);
      if (this.occupied() === 0) return;
      const seen = this.changes;
      if (!(await condition(() => this.changes > seen, delay))) {
        for (const outcome of await closedItems(this.started())) this.record(outcome);
      }
    }
  }

  /** Continues as new, or returns when a failure that stops the batch was recorded while the manifest was written. */
  private async continueAsNew(): Promise<void> {
    // Reports that arrive while a part is written are flushed too: nothing recorded may stay behind in this run.
    while (this.manifest.outcomes.length > 0) await this.manifest.flush();
    if (this.firstFailure) return;
    // The flush is not cancellable: a cancel that came meanwhile ends this batch, it does not continue.
    if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('Batch cancelled');
    this.state.inFlight = [...this.inFlight.values()];
    return await continueAsNew<(i: TranscribeBatchInput, c: BatchContinuation) => Promise<unknown>>(
      inputForNextRun(this.input),
      this.state,
    );
  }
}
