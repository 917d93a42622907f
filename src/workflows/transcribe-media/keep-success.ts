// Keeping a success CI reported after the run stopped waiting (a workflow cancel, the deadline): the job is paid for,
// so its result is stored, or at least the run records that it succeeded and where its transcript is.
import { CancellationScope, log } from '@temporalio/workflow';
import type {
  Activities,
  CancelJobOutcome,
  CleanupReport,
  JobSnapshot,
  StoreResultInput,
  TranscriptionResult,
} from '../../contract';
import type { KeptSuccess } from '../messages';
import type { RunStatus } from './status';

/** What {@link keepSuccess} kept: always the job and its transcript, and the stored result when storing worked. */
export interface KeptOutcome {
  kept: KeptSuccess;
  result?: TranscriptionResult;
}

/** The steps a run's end after waiting takes (a workflow cancel, the deadline), bound to the run and its job. */
export interface EndSteps {
  /** Cancels what CI allows of the step's jobs, except `keepJobId`, and records the rest (`cleanUpStep`). */
  cleanUp: (keepJobId?: string) => Promise<CleanupReport>;
  /** Asks CI to cancel the job by id (undefined: the request failed). */
  tryCancel: () => Promise<CancelJobOutcome | undefined>;
  /** {@link keepSuccess} for the job (`atDeadline`: the manifest says the success was kept at the deadline). */
  keep: (knownSuccess: boolean, atDeadline?: boolean) => Promise<KeptOutcome | undefined>;
  /** Ends the run with a stored result. */
  completed: (result: TranscriptionResult) => TranscriptionResult;
}

/**
 * Asks CI for the job once more and, when it succeeded, stores its result (`store`: the `checkTranscriptionJob`
 * activity with a retry budget of its own, since the run's own may be spent). Non-cancellable: the run is ending on a
 * cancel, and a cancel must not throw a paid result away. `knownSuccess`: CI already said `Success` (a refused
 * cancel), so a store that fails for good still records the success and the transcript's location. Undefined when
 * there is nothing to keep (the job has not succeeded, succeeded without a result, or nobody knows).
 */
export async function keepSuccess(
  store: Activities['checkTranscriptionJob'],
  input: StoreResultInput,
  knownSuccess: boolean,
  noteState: (state: JobSnapshot['state']) => void,
): Promise<KeptOutcome | undefined> {
  const { job } = input;
  try {
    const check = await CancellationScope.nonCancellable(() => store(input));
    noteState(check.snapshot.state);
    const { result } = check;
    if (!result) return undefined;
    return { kept: { jobId: job.jobId, transcript: result.resultObject, manifest: result.manifestObject }, result };
  } catch (err) {
    if (!knownSuccess) return undefined;
    // An activity failure's own message only says it failed: the cause says why (CI's or COS's error, redacted).
    const storeError = ((err as Error).cause as Error | undefined)?.message ?? (err as Error).message;
    log.error('A succeeded CI job could not be stored; its transcript is kept where CI wrote it', {
      jobId: job.jobId,
      transcript: job.output.uri,
      error: storeError,
    });
    return { kept: { jobId: job.jobId, transcript: job.output, storeError } };
  }
}

/** Records a kept success in the status (the job is no longer called uncancelled there); the memo is the caller's. */
export function recordKept(kept: KeptSuccess, status: RunStatus): void {
  status.keptSuccess(kept);
  log.info('transcribeMedia kept a success found after it stopped waiting', { ...kept });
}
