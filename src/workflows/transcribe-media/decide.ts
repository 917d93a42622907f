import type { CiJobState } from '../../ci/job-state';
import type { CiCallbackSignal } from '../messages';

/** What a `transcribeMedia` run does after learning a job's state from CI. */
export type JobStateAction = 'store-result' | 'fail' | 'report-cancelled' | 'keep-waiting';

/**
 * Maps a confirmed CI job state to the workflow's next step. `Pause` (queue paused) and the pre-terminal states keep
 * the run waiting; only CI's own answer to `get` is passed here, never a callback's claim.
 */
export function actionForJobState(state: CiJobState): JobStateAction {
  switch (state) {
    case 'Success':
      return 'store-result';
    case 'Failed':
      return 'fail';
    case 'Cancel':
      return 'report-cancelled';
    case 'Submitted':
    case 'Running':
    case 'Pause':
      return 'keep-waiting';
  }
}

/**
 * Inbox of callback signals. Callbacks can arrive before the submit activity returns (CI may finish a short job
 * first), arrive twice, or name another job: they are kept until the job id is known, and only a callback for the
 * current job that has not been acted on yet wakes the workflow.
 */
export class CallbackInbox {
  private readonly pending: CiCallbackSignal[] = [];
  private received = 0;

  /** Capacity bound so a flood of forged-but-authenticated or duplicate signals cannot grow the state without end. */
  constructor(private readonly capacity = 100) {}

  /** Records a delivered signal. */
  add(signal: CiCallbackSignal): void {
    this.received += 1;
    if (this.pending.length >= this.capacity) this.pending.shift();
    this.pending.push(signal);
  }

  /** Callbacks waiting to be acted on. */
  get size(): number {
    return this.pending.length;
  }

  /** Signals delivered so far, duplicates included. */
  get count(): number {
    return this.received;
  }

  /** Puts back a callback carried over from a previous run (continue-as-new) without counting it again. */
  restore(signal: CiCallbackSignal): void {
    this.pending.push(signal);
  }

  /** The callbacks for `jobId` not yet acted on, without removing them. */
  pendingFor(jobId: string): CiCallbackSignal[] {
    return this.pending.filter((signal) => signal.jobId === jobId);
  }

  /** Whether a callback for `jobId` is waiting to be confirmed. */
  hasFor(jobId: string | undefined): boolean {
    return jobId !== undefined && this.pending.some((signal) => signal.jobId === jobId);
  }

  /**
   * Returns the callbacks for `jobId` and empties the inbox: duplicates collapse into one confirmation, and once the
   * run's job id is known callbacks for any other job can never matter.
   */
  takeFor(jobId: string): CiCallbackSignal[] {
    return this.pending.splice(0, this.pending.length).filter((signal) => signal.jobId === jobId);
  }
}
