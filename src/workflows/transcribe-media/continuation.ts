import type { SubmittedJob } from '../../activities/types';
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
}
