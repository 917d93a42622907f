import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import type {
  CancelJobOutcome,
  JobCheck,
  JobSnapshot,
  SubmittedJob,
  TranscriptionResult,
} from '../../activities/types';
import { CI_JOB_ID, CI_JOB_STATE } from '../../shared/search-attributes';
import { deadlineFailure, finishedJobFailure, invalidInputFailure, submitDeadlineFailure } from '../failures';
import type { CiCallbackSignal } from '../messages';
import { transcriptionStatusQuery } from '../messages';
import { pollDelayMs } from './backoff';
import { registerCallbackHandlers } from './callback-handlers';
import { CallbackInbox } from './decide';
import { historyBudgetSpent } from './history-budget';
import type { ResolvedTranscribeMediaInput, TranscribeMediaInput } from './input';
import { resolveTranscribeMediaInput } from './input';
import { RunStatus } from './status';

type Activities = ReturnType<typeof createActivities>;

/**
 * Activity stubs with this run's attempt timeout; retry policies are fixed by what each activity does. Submit retries
 * stop at the run's deadline (`submitBudgetMs`), so a CI outage cannot keep a run submitting past it.
 */
function activitiesFor(attemptTimeoutMs: number, submitBudgetMs: number) {
  const startToCloseTimeout = attemptTimeoutMs;
  const { submitTranscriptionJob } = proxyActivities<Activities>({
    startToCloseTimeout,
    scheduleToCloseTimeout: Math.max(attemptTimeoutMs, submitBudgetMs),
    // Retries are safe: a retried attempt adopts the job an earlier attempt created (see the submit activity).
    retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });
  // A check that keeps failing is waited out until the next poll rather than failing the run.
  const { checkTranscriptionJob, cancelTranscriptionJob } = proxyActivities<Activities>({
    startToCloseTimeout,
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '20 seconds', maximumAttempts: 5 },
  });
  return { submitTranscriptionJob, checkTranscriptionJob, cancelTranscriptionJob };
}

/** The step name that owns this workflow's single CI job. */
const SUBMIT_STEP = 'transcribe';

/** Patch id of the history-budget check on every wake (histories recorded before it never had that wake-up). */
const HISTORY_BUDGET_PATCH = 'history-budget-every-wake';

/** Extra validity of a callback URL beyond the deadline, so a late but genuine notification is still accepted. */
const CALLBACK_TOKEN_MARGIN_MS = 24 * 60 * 60_000;

/** State carried across continue-as-new so a long wait never re-submits. */
export interface TranscribeMediaContinuation {
  job: SubmittedJob;
  deadlineAt: number;
  workflowStartedAt: string;
  polls: number;
  callbacksReceived: number;
  /** Callbacks for the job that arrived but were not yet confirmed when the previous run continued as new. */
  pendingCallbacks: CiCallbackSignal[];
}

/**
 * Transcribes one media file with Tencent CI: submits exactly one ASR job, waits for CI's callback (a signal) or,
 * when none comes, polls with exponential backoff, then writes a manifest next to the transcript and returns where
 * both are. Fails with a non-retryable typed `ApplicationFailure` (see `FailureType`) on invalid input, a failed or
 * externally cancelled job, and a passed deadline. Cancelling the workflow cancels the CI job when CI still allows it.
 */
export async function transcribeMedia(
  input: TranscribeMediaInput,
  continuation?: TranscribeMediaContinuation,
): Promise<TranscriptionResult> {
  const status = new RunStatus(continuation);
  const inbox = new CallbackInbox();
  registerCallbackHandlers(inbox, status);
  setHandler(transcriptionStatusQuery, () => status.snapshot());

  const resolution = resolveTranscribeMediaInput(input);
  if (!resolution.ok) {
    const failure = invalidInputFailure('transcribeMedia', resolution.problems);
    status.failed(failure);
    throw failure;
  }
  for (const signal of continuation?.pendingCallbacks ?? []) inbox.restore(signal);
  const run = new TranscriptionRun(input, resolution.value, status, inbox, continuation);
  return await run.execute();
}

/** One run's mutable state and steps; kept in a class so each step stays short. */
class TranscriptionRun {
  private job?: SubmittedJob;
  private readonly activities: ReturnType<typeof activitiesFor>;
  private readonly startedAt: number;
  private readonly deadlineAt: number;
  private readonly workflowStartedAt: string;

  constructor(
    private readonly originalInput: TranscribeMediaInput,
    private readonly input: ResolvedTranscribeMediaInput,
    private readonly status: RunStatus,
    private readonly inbox: CallbackInbox,
    continuation: TranscribeMediaContinuation | undefined,
  ) {
    this.startedAt = workflowInfo().startTime.getTime();
    this.workflowStartedAt = continuation?.workflowStartedAt ?? new Date(this.startedAt).toISOString();
    this.deadlineAt = continuation?.deadlineAt ?? this.startedAt + input.deadlineMs;
    this.job = continuation?.job;
    // A continued run shows the job it carries over, in the status query and in search attributes alike.
    if (this.job) this.status.carryOver(this.job);
    this.activities = activitiesFor(input.activityAttemptTimeoutMs, this.deadlineAt - Date.now());
  }

  async execute(): Promise<TranscriptionResult> {
    try {
      const job = this.job ?? (await this.submit());
      this.status.waiting();
      return await this.waitForResult(job);
    } catch (err) {
      if (isCancellation(err) && this.job) await this.cancelCiJobAfterWorkflowCancel(this.job);
      else if (!isCancellation(err)) this.status.failed(err);
      throw err;
    }
  }

  private async submit(): Promise<SubmittedJob> {
    const { media, recognition, bucket, region, output, queueId, jobLevel, callback } = this.input;
    // Non-cancellable: once CI may have created the job we must learn its id, or a cancel could orphan a billed job.
    const job = await CancellationScope.nonCancellable(() =>
      this.activities.submitTranscriptionJob({
        step: SUBMIT_STEP,
        request: { media, recognition, bucket, region, output, queueId, jobLevel, callback },
        callbackExpiresAt: new Date(this.deadlineAt + CALLBACK_TOKEN_MARGIN_MS).toISOString(),
      }),
    ).catch((err: unknown) => {
      if (err instanceof ActivityFailure && err.cause instanceof TimeoutFailure) {
        throw submitDeadlineFailure(err.cause.message);
      }
      throw err;
    });
    this.job = job;
    this.status.submitted(job.jobId);
    this.noteState(job.state);
    return job;
  }

  /**
   * Waits for a callback or the next poll until CI reports a final state. A successful job's result is stored by the
   * same activity that saw it succeed (the run is then complete); a failed or cancelled job ends the run with its
   * typed failure.
   */
  private async waitForResult(job: SubmittedJob): Promise<TranscriptionResult> {
    let check: JobCheck = { snapshot: { jobId: job.jobId, state: job.state } };
    // CI calls back only when a job ends. A callback whose check finds the job still going is stale or replayed (the
    // URL is a bearer token), so the next wake-up is the poll timer: a flood costs at most one check per poll interval.
    let listenForCallbacks = true;
    for (;;) {
      const remaining = this.deadlineAt - Date.now();
      if (remaining <= 0) return await this.failOnDeadline(job);
      const delay = Math.min(pollDelayMs(this.input.polling, this.status.polls, Math.random()), remaining);
      this.status.nextPollAt(new Date(Date.now() + delay));
      // Every wake (a message, a timer) re-evaluates the budget, so a flood is cut off by continue-as-new in time.
      const budgetChecked = patched(HISTORY_BUDGET_PATCH);
      const budgetSpent = () => budgetChecked && historyBudgetSpent(workflowInfo());
      const callbackArrived = await condition(
        () => (listenForCallbacks && this.inbox.hasFor(job.jobId)) || budgetSpent(),
        delay,
      );
      this.status.nextPollAt(undefined);
      if (budgetSpent()) await this.continueAsNew(job);
      if (!callbackArrived && Date.now() >= this.deadlineAt) return await this.failOnDeadline(job);
      this.inbox.takeFor(job.jobId); // this check answers every callback received so far
      if (!callbackArrived) this.status.polled();
      const completedBy = callbackArrived ? 'callback' : 'poll';
      check = await this.check(job, check, completedBy);
      if (check.result) {
        this.status.completed(completedBy);
        return check.result;
      }
      const failure = finishedJobFailure(job.jobId, check.snapshot);
      if (failure) throw failure;
      listenForCallbacks = !callbackArrived;
      if (workflowInfo().continueAsNewSuggested) await this.continueAsNew(job);
    }
  }

  /** Asks CI for the job once (storing its result if it succeeded); a failed check is waited out, not fatal. */
  private async check(job: SubmittedJob, previous: JobCheck, completedBy: 'callback' | 'poll'): Promise<JobCheck> {
    try {
      const check = await this.activities.checkTranscriptionJob({
        job,
        media: this.input.media,
        manifestKey: this.input.manifestKey,
        completedBy,
        workflowStartedAt: this.workflowStartedAt,
      });
      this.noteState(check.snapshot.state);
      return check;
    } catch (err) {
      if (isCancellation(err) || isPermanentActivityFailure(err)) throw err;
      const error = (err as Error).message;
      this.status.noteError(error);
      log.warn('Checking the CI job failed; will try again', { jobId: job.jobId, error });
      return previous;
    }
  }

  /** The deadline passed with the job still on its way: cancel it if CI still allows that, then fail the run. */
  private async failOnDeadline(job: SubmittedJob): Promise<never> {
    this.status.deadlinePassed();
    throw deadlineFailure(job.jobId, await this.tryCancel(job));
  }

  /** After the workflow itself was cancelled: cancel the CI job and record honestly whether CI allowed it. */
  private async cancelCiJobAfterWorkflowCancel(job: SubmittedJob): Promise<void> {
    if (this.status.phase === 'completed') return;
    this.status.cancelling();
    const cancel = await CancellationScope.nonCancellable(() => this.tryCancel(job));
    const report = {
      jobId: job.jobId,
      ciCancelOutcome: cancel?.outcome ?? 'error',
      ciJobState: cancel?.state ?? this.status.jobState,
      note:
        cancel?.outcome === 'cancelled'
          ? 'CI job cancelled'
          : 'CI could not cancel the job (CI only cancels jobs that have not started); it may still run and be billed',
    };
    this.status.cancelled(report.note);
    upsertMemo({ cancellation: report });
    log.info('transcribeMedia cancelled', report);
  }

  private async tryCancel(job: SubmittedJob): Promise<CancelJobOutcome | undefined> {
    try {
      const outcome = await this.activities.cancelTranscriptionJob({
        jobId: job.jobId,
        bucket: job.bucket,
        region: job.region,
      });
      if (outcome.state) this.noteState(outcome.state);
      return outcome;
    } catch (err) {
      this.status.noteError((err as Error).message);
      return undefined;
    }
  }

  /** Records a confirmed job state and, when it changed, publishes it as search attributes. */
  private noteState(state: JobSnapshot['state']): void {
    const news = this.status.noteJobState(state);
    if (!news) return;
    upsertSearchAttributes([
      { key: CI_JOB_ID, value: news.jobId },
      { key: CI_JOB_STATE, value: news.state },
    ]);
  }

  private async continueAsNew(job: SubmittedJob): Promise<never> {
    return await continueAsNew<typeof transcribeMedia>(this.originalInput, {
      job,
      deadlineAt: this.deadlineAt,
      workflowStartedAt: this.workflowStartedAt,
      polls: this.status.polls,
      callbacksReceived: this.status.callbacksReceived,
      pendingCallbacks: this.inbox.pendingFor(job.jobId),
    });
  }
}

/** A non-retryable activity failure (job unknown, access revoked...): waiting for the next poll cannot fix it. */
function isPermanentActivityFailure(err: unknown): boolean {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.nonRetryable === true;
}
