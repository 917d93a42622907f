// Workflow-side glue of the cleanup after a failing run: the activity call, non-cancellable, and where its findings
// are recorded (status query, memo, log). What to clean and how to report it is decided in `../failures.ts`.
import { CancellationScope, log, upsertMemo } from '@temporalio/workflow';
import type { CancelJobOutcome, CleanupReport, JobSnapshot, SubmittedJob } from '../../contract';
import { cleanupNotDone, cleanupSummary, keptNote } from '../failures';
import type { EndSteps } from './keep-success';
import { recordKept } from './keep-success';
import type { ResolvedTranscribeMediaInput } from './input';
import type { activitiesFor } from './proxies';
import type { RunStatus } from './status';

/** What {@link cleanUpStep} needs to know about the run. */
export interface CleanupTarget {
  step: string;
  input: Pick<ResolvedTranscribeMediaInput, 'bucket' | 'region' | 'queueId'>;
  /** The step's tag when the submit answered; else the activity derives it from {@link submitterRunId}. */
  tag?: string;
  /**
   * The run that sent the submit, whose id the submit hashed into the tag: this run when the submit never answered
   * (a continued run always carries its job). Not the chain's first run: after a reset or a workflow retry it differs.
   */
  submitterRunId: string;
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
      ...(target.tag ? { tag: target.tag } : { runId: target.submitterRunId }),
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
 * After the workflow itself was cancelled: asks CI to cancel the job (non-cancellable), then sweeps the step's tag,
 * since a retried submit may have left a late duplicate the run never saw. CI refuses to cancel a finished job: when
 * it says the job succeeded (or the cancel request failed, so nobody knows), the result is stored, since it is paid
 * for; the run still ends cancelled, and the memo (`keptResult`) and the status say where the result is. Records
 * honestly in the status and the memo whether CI allowed the cancel. A run that stored its result has nothing to do.
 */
export async function cancelAfterWorkflowCancel(job: SubmittedJob, status: RunStatus, steps: EndSteps): Promise<void> {
  if (status.phase === 'completed') return;
  status.cancelling();
  const cancel = await CancellationScope.nonCancellable(steps.tryCancel);
  const succeeded = cancel?.state === 'Success';
  const keeping = succeeded || cancel === undefined ? await steps.keep(succeeded) : undefined;
  if (keeping) recordKept(keeping.kept, status);
  const left = cleanupSummary(await steps.cleanUp(keeping ? job.jobId : undefined));
  const outcome = keeping
    ? keptNote(keeping.kept)
    : cancel?.outcome === 'cancelled'
      ? 'CI job cancelled'
      : 'CI could not cancel the job (CI only cancels jobs that have not started); it may still run and be billed';
  const report = {
    jobId: job.jobId,
    ciCancelOutcome: cancel?.outcome ?? 'error',
    ciJobState: cancel?.state ?? status.jobState,
    note: outcome + (left ? `; ${left}` : ''),
  };
  status.cancelled(report.note);
  upsertMemo({ cancellation: report, ...(keeping ? { keptResult: keeping.kept } : {}) });
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
