// Workflow-side glue of the cleanup after a failing run: the activity call, non-cancellable, and where its findings
// are recorded (status query, memo, log). What to clean and how to report it is decided in `../failures.ts`.
import { CancellationScope, log, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type { CancelJobOutcome, CleanupReport, JobSnapshot, SubmittedJob } from '../../contract';
import { cleanupNotDone, cleanupSummary } from '../failures';
import type { ResolvedTranscribeMediaInput } from './input';
import type { activitiesFor } from './proxies';
import type { RunStatus } from './status';

/** What {@link cleanUpStep} needs to know about the run. */
export interface CleanupTarget {
  step: string;
  input: Pick<ResolvedTranscribeMediaInput, 'bucket' | 'region' | 'queueId'>;
  /** The step's tag when the submit answered; else the activity derives it from the chain's first run (which submitted). */
  tag?: string;
  workflowStartedAt: string;
  /** A job the run saw finish: not cancelled, not reported. */
  keepJobId?: string;
}

/**
 * Cancels what CI still allows of the step's jobs and records what it would not. Non-cancellable: a workflow cancel
 * must not stop the one step that keeps billed jobs from being forgotten. Never throws: a cleanup that could not run
 * is itself the finding.
 */
export async function cleanUpStep(
  activities: ReturnType<typeof activitiesFor>,
  target: CleanupTarget,
  status: RunStatus,
): Promise<CleanupReport> {
  const { bucket, region, queueId } = target.input;
  const report = await CancellationScope.nonCancellable(() =>
    activities.cleanUpStepJobs({
      step: target.step,
      request: { bucket, region, queueId },
      // A continued run's own id is not the submitting run's: the chain's first run id keeps the tag stable.
      ...(target.tag ? { tag: target.tag } : { runId: workflowInfo().firstExecutionRunId }),
      sinceMs: Date.parse(target.workflowStartedAt),
      ...(target.keepJobId ? { keepJobId: target.keepJobId } : {}),
    }),
  ).catch((err: unknown) => cleanupNotDone(target.tag, (err as Error).message));
  status.cleanedUp(report);
  upsertMemo({ cleanup: report });
  if (report.uncancelled.length > 0 || report.lookupError) log.warn('Failed run leaves CI jobs behind', { ...report });
  return report;
}

/**
 * After the workflow itself was cancelled: asks CI to cancel the job (through `tryCancel`, non-cancellable), then
 * sweeps the step's tag (`sweep`: {@link cleanUpStep}, which records what CI would not cancel), since a retried
 * submit may have left a late duplicate the run never saw. Records honestly in the status and the memo whether CI
 * allowed it. A run that stored its result has nothing to do.
 */
export async function cancelAfterWorkflowCancel(
  job: SubmittedJob,
  status: RunStatus,
  tryCancel: () => Promise<CancelJobOutcome | undefined>,
  sweep: () => Promise<CleanupReport>,
): Promise<void> {
  if (status.phase === 'completed') return;
  status.cancelling();
  const cancel = await CancellationScope.nonCancellable(tryCancel);
  const left = cleanupSummary(await sweep());
  const report = {
    jobId: job.jobId,
    ciCancelOutcome: cancel?.outcome ?? 'error',
    ciJobState: cancel?.state ?? status.jobState,
    note:
      (cancel?.outcome === 'cancelled'
        ? 'CI job cancelled'
        : 'CI could not cancel the job (CI only cancels jobs that have not started); it may still run and be billed') +
      (left ? `; ${left}` : ''),
  };
  status.cancelled(report.note);
  upsertMemo({ cancellation: report });
  log.info('transcribeMedia cancelled', report);
}

/** Asks CI to cancel `job` by id; a failed request is noted in the status and answered undefined (never throws). */
export async function cancelById(
  activities: ReturnType<typeof activitiesFor>,
  job: SubmittedJob,
  status: RunStatus,
  noteState: (state: JobSnapshot['state']) => void,
): Promise<CancelJobOutcome | undefined> {
  try {
    const { jobId, bucket, region } = job;
    const outcome = await activities.cancelTranscriptionJob({ jobId, bucket, region });
    if (outcome.state) noteState(outcome.state);
    return outcome;
  } catch (err) {
    status.noteError((err as Error).message);
    return undefined;
  }
}

/** Records the step's duplicate jobs (if any) in the status and the memo. */
export function recordDuplicates(duplicates: SubmittedJob['duplicates'], status: RunStatus): void {
  if (!duplicates || duplicates.length === 0) return;
  status.duplicatesFound(duplicates);
  upsertMemo({ duplicateJobs: duplicates });
}
