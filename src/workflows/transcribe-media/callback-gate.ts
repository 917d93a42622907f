import { isTerminalCiJobState } from '../../ci/job-state';
import type { CallbackRefusal, CiCallbackSignal } from '../messages';

/** What the callback validator knows about its run. */
export interface CallbackGateView {
  /** The run has ended (completed, failed, cancelled, timed out). */
  ended: boolean;
  /** The run's CI job, once the submit returned. */
  jobId?: string;
  /** Callbacks received and not yet acted on. */
  pending: { hasFor(jobId: string): boolean; readonly size: number };
}

/** Callbacks kept while the job id is not known yet (CI may finish a short job before the submit returns). */
export const MAX_PENDING_BEFORE_SUBMIT = 4;

/**
 * Why a callback should be refused before it touches the run's history, or `undefined` to accept it. CI calls back
 * only when a job ends, so a non-final state is never news; one waiting callback already makes the run check CI,
 * which answers every callback received so far, so a second one for the same job adds nothing.
 */
export function callbackRefusal(view: CallbackGateView, callback: CiCallbackSignal): CallbackRefusal | undefined {
  if (view.ended) return 'finished';
  if (view.jobId !== undefined && callback.jobId !== view.jobId) return 'other_job';
  if (!isTerminalCiJobState(callback.state)) return 'not_final';
  if (view.jobId !== undefined) return view.pending.hasFor(view.jobId) ? 'duplicate' : undefined;
  if (view.pending.hasFor(callback.jobId) || view.pending.size >= MAX_PENDING_BEFORE_SUBMIT) return 'duplicate';
  return undefined;
}
