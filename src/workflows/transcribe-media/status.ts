import { ApplicationFailure } from '@temporalio/common';
import type { CleanupReport, DuplicateJob, JobSnapshot } from '../../contract';
import { FailureType } from '../../shared/failure-types';
import type { KeptSuccess, TranscriptionPhase, TranscriptionStatus } from '../messages';

/** Phases a run never leaves: what the status query says once the run has ended. */
const FINAL_PHASES: ReadonlySet<TranscriptionPhase> = new Set(['completed', 'failed', 'cancelled', 'timed-out']);

/**
 * The live {@link TranscriptionStatus} of one `transcribeMedia` run, changed only through these methods. Each phase
 * change goes through one guard, so a run that has ended (completed, failed, cancelled, timed out) keeps that phase
 * whatever is recorded after it. Pure: the workflow calls it and does the Temporal side (search attributes, memo).
 */
export class RunStatus {
  private readonly status: TranscriptionStatus;

  /** Starts in `submitting`; a continued run carries its poll and callback counts over. */
  constructor(carried?: { polls: number; callbacksReceived: number }) {
    this.status = {
      phase: 'submitting',
      polls: carried?.polls ?? 0,
      callbacksReceived: carried?.callbacksReceived ?? 0,
    };
  }

  /** A copy for the status query, so a caller can never change the run's own. */
  snapshot(): TranscriptionStatus {
    return { ...this.status };
  }

  get phase(): TranscriptionPhase {
    return this.status.phase;
  }

  /** Whether the run has reached a phase it never leaves. */
  get ended(): boolean {
    return FINAL_PHASES.has(this.status.phase);
  }

  get polls(): number {
    return this.status.polls;
  }

  get callbacksReceived(): number {
    return this.status.callbacksReceived;
  }

  get jobId(): string | undefined {
    return this.status.jobId;
  }

  get jobState(): JobSnapshot['state'] | undefined {
    return this.status.jobState;
  }

  /** Shows the job a continued run carries over, exactly as the previous run last saw it. */
  carryOver(job: Pick<JobSnapshot, 'jobId' | 'state'>): void {
    this.status.jobId = job.jobId;
    this.status.jobState = job.state;
  }

  /** The job CI accepted; its state is recorded through {@link noteJobState}. */
  submitted(jobId: string): void {
    this.status.jobId = jobId;
  }

  /**
   * Records a job state CI confirmed. Returns the job and state when that is news worth publishing (a known job
   * whose state changed), so the workflow upserts its search attributes only then.
   */
  noteJobState(state: JobSnapshot['state']): { jobId: string; state: JobSnapshot['state'] } | undefined {
    const { jobId } = this.status;
    if (this.status.jobState === state || !jobId) return undefined;
    this.status.jobState = state;
    return { jobId, state };
  }

  /** One callback signal delivered (duplicates and other jobs' included). */
  callbackReceived(): void {
    this.status.callbacksReceived += 1;
  }

  /** The run now waits for a callback or the next poll. */
  waiting(): void {
    this.moveTo('waiting');
  }

  /** When the next poll is due, or undefined once the wait is over. */
  nextPollAt(at: Date | undefined): void {
    this.status.nextPollAt = at?.toISOString();
  }

  /** One `get` made because no callback came. */
  polled(): void {
    this.status.polls += 1;
  }

  /** A step failed in a way the run survives (a check to be retried, a cancel CI refused). */
  noteError(message: string): void {
    this.status.lastError = message;
  }

  /** Other jobs of the step (retried submits), as the submit or the final sweep found them. */
  duplicatesFound(duplicates: readonly DuplicateJob[] | undefined): void {
    if (duplicates && duplicates.length > 0) this.status.duplicateJobs = [...duplicates];
  }

  /** What the failing run's cleanup could not cancel, or that it could not look. */
  cleanedUp(report: CleanupReport): void {
    if (report.uncancelled.length > 0) this.status.uncancelledJobs = [...report.uncancelled];
    if (report.lookupError !== undefined) this.status.cleanupError = report.lookupError;
  }

  /**
   * A success found after the run stopped waiting (cancel, deadline), and what was kept of it. The job is paid for and
   * accounted for, so it leaves `uncancelledJobs`.
   */
  keptSuccess(kept: KeptSuccess): void {
    this.status.keptResult = { ...kept };
    const left = this.status.uncancelledJobs?.filter((job) => job.jobId !== kept.jobId);
    if (left && left.length > 0) this.status.uncancelledJobs = left;
    else delete this.status.uncancelledJobs;
  }

  /** The result is stored; `by` is what told the run the job had finished. */
  completed(by: 'callback' | 'poll'): void {
    this.status.completedBy = by;
    this.moveTo('completed');
  }

  /** The deadline passed; the run now tries to cancel the job before it fails. */
  deadlinePassed(): void {
    this.moveTo('timed-out');
  }

  /**
   * The run ends with `err`. The run's own typed failures (a bare `ApplicationFailure`) also become `lastError`;
   * errors from elsewhere (an activity's permanent failure) leave `lastError` to the step that saw them.
   */
  failed(err: unknown): void {
    if (!(err instanceof ApplicationFailure)) return this.moveTo('failed');
    this.status.lastError = err.message;
    this.moveTo(err.type === FailureType.TranscriptionTimedOut ? 'timed-out' : 'failed');
  }

  /** The workflow was cancelled; the run now asks CI to cancel the job. */
  cancelling(): void {
    this.moveTo('cancelling');
  }

  /** The cancellation is over; `note` says honestly whether CI cancelled the job. */
  cancelled(note: string): void {
    this.status.lastError = note;
    this.moveTo('cancelled');
  }

  /** The one place the phase changes. */
  private moveTo(phase: TranscriptionPhase): void {
    if (!this.ended) this.status.phase = phase;
  }
}
