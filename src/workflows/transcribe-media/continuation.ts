import type { SubmittedJob } from '../../contract';
import type { CiCallbackSignal } from '../messages';

/** State carried across continue-as-new so a long wait never re-submits. */
export interface TranscribeMediaContinuation {
  /** The job, with its tag, submit attempt and duplicates, so later sweeps and the cleanup still find the step's jobs. */
  job: SubmittedJob;
  deadlineAt: number;
  workflowStartedAt: string;
  polls: number;
  callbacksReceived: number;
  /** Callbacks for the job that arrived but were not yet confirmed when the previous run continued as new. */
  pendingCallbacks: CiCallbackSignal[];
  /**
   * False when the last check, woken by a callback, found the job still going: the next wake-up is the poll timer, so
   * a replayed callback URL cannot buy more checks by outlasting a run. Absent (older runs): true.
   */
  listenForCallbacks?: boolean;
}

/** What a run waiting for `job` hands to its continuation: the job with the state last seen, not the submit's. */
export function continuationOf(
  job: SubmittedJob,
  status: { jobState: SubmittedJob['state'] | undefined; polls: number; callbacksReceived: number },
  pendingCallbacks: CiCallbackSignal[],
  carried: Pick<TranscribeMediaContinuation, 'deadlineAt' | 'workflowStartedAt' | 'listenForCallbacks'>,
): TranscribeMediaContinuation {
  const { jobState, polls, callbacksReceived } = status;
  return { job: { ...job, state: jobState ?? job.state }, polls, callbacksReceived, pendingCallbacks, ...carried };
}
