import type { CiJobState } from './job-state';
import type { AsrJob } from './job-types';

/** Options of every client call. */
export interface CiCallOptions {
  /** Aborts the call (e.g. Temporal's `cancellationSignal()`); the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** Result of {@link CiAsrClient.get}. */
export interface GetAsrJobsResult {
  /** Jobs CI knows, in CI's order. */
  jobs: AsrJob[];
  /** Requested ids CI reported in `NonExistJobIds`. */
  nonExistentJobIds: string[];
}

/** One page of {@link CiAsrClient.list}. */
export interface AsrJobPage {
  jobs: AsrJob[];
  /** Pass as `nextToken` to get the next page; undefined when CI sent none. */
  nextToken?: string;
}

/** What {@link CiAsrClient.cancel} achieved. CI only cancels jobs that have not started running. */
export type CancelAsrJobResult =
  | { outcome: 'cancelled'; jobId: string }
  | { outcome: 'not-cancellable'; jobId: string; state: CiJobState; code: string }
  | { outcome: 'not-found'; jobId: string };
