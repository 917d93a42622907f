import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/**
 * The timer of one wait for a callback or the next poll, in its own cancellation scope. Unlike `condition(fn,
 * timeout)`, which cancels its timer whenever `fn` turns true first, it is cancelled only when the run waits again
 * (see {@link PollTimer.cancel}): a run that a callback ends completes with its timer still pending, which the server
 * drops with the run, so the happy path writes no `TimerCanceled` event.
 */
export class PollTimer {
  private done = false;
  private readonly scope = new CancellationScope();

  constructor(ms: number) {
    this.scope
      .run(() => sleep(ms))
      .then(
        () => void (this.done = true),
        (err: unknown) => {
          // Cancelled (by the run or a workflow cancel, which the run's own wait reports): nothing to do here.
          if (!isCancellation(err)) throw err;
        },
      );
  }

  /** Whether the timer has fired. */
  get fired(): boolean {
    return this.done;
  }

  /** Cancels the timer unless it fired: the run is about to wait again, or to work (cleanup) before it ends. */
  cancel(): void {
    if (!this.done) this.scope.cancel();
    this.done = true;
  }
}
