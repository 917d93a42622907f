import {
  ActivityFailure,
  TimeoutFailure,
  CancellationScope,
  CancelledFailure,
  condition,
  ContinueAsNew,
  continueAsNew,
  isCancellation,
  log,
  setHandler,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import { pinnedWhenVersioned } from '../versioning';
import type { CancelJobOutcome, CleanupReport, JobCheck, JobSnapshot, SubmittedJob } from '../../contract';
import type { TranscriptionResult } from '../../contract';
import {
  cleanupPlan,
  isPermanentActivityFailure,
  finishedJobFailure,
  invalidInputFailure,
  lateStartFailure,
  submitDeadlineFailure,
  withCleanup,
} from '../failures';
import { transcriptionStatusQuery } from '../messages';
import { pollDelayMs } from './backoff';
import { registerCallbackHandlers } from './callback-handlers';
import { CallbackInbox } from './decide';
import { historyBudgetSpent } from './history-budget';
import { PollTimer } from './poll-timer';
import type { ResolvedTranscribeMediaInput, TranscribeMediaInput } from './input';
import { resolveTranscribeMediaInput } from './input';
import { cancelAfterWorkflowCancel, cancelById, cleanUpStep, recordDuplicates } from './cleanup';
import type { EndSteps } from './keep-success';
import { keepSuccess } from './keep-success';
import type { Look } from './deadline';
import { endWithoutResult } from './deadline';
import { activitiesFor } from './proxies';
import { JobAttributes } from './job-attributes';
import { RunStatus } from './status';
import type { TranscribeMediaContinuation } from './continuation';
import { continuationOf } from './continuation';

export type { TranscribeMediaContinuation } from './continuation';

/** The step name that owns this workflow's single CI job. */
const SUBMIT_STEP = 'transcribe';

/** Extra validity of a callback URL beyond the deadline, so a late but genuine notification is still accepted. */
const CALLBACK_TOKEN_MARGIN_MS = 24 * 60 * 60_000;

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
  // Buffered updates are validated inside setHandler: a continued run must know its job and callbacks before.
  if (continuation) status.carryOver(continuation.job);
  for (const signal of continuation?.pendingCallbacks ?? []) inbox.restore(signal);
  registerCallbackHandlers(inbox, status);
  setHandler(transcriptionStatusQuery, () => status.snapshot());

  const resolution = resolveTranscribeMediaInput(input);
  if (!resolution.ok) {
    const failure = invalidInputFailure('transcribeMedia', resolution.problems);
    status.failed(failure);
    throw failure;
  }
  const run = new TranscriptionRun(input, resolution.value, status, inbox, continuation);
  return await run.execute();
}

// PINNED on a versioned worker: a run finishes (continuations included) on the build it started on, so a release may
// change this code without a patch while runs wait on CI (docs/upgrading.md). Nothing on an unversioned worker.
setWorkflowOptions(pinnedWhenVersioned, transcribeMedia);

/** One run's mutable state and steps; kept in a class so each step stays short. */
class TranscriptionRun {
  private job?: SubmittedJob;
  private readonly activities: ReturnType<typeof activitiesFor>;
  private readonly startedAt: number;
  private readonly deadlineAt: number;
  private readonly workflowStartedAt: string;
  private readonly attributes: JobAttributes;
  private cleanup?: CleanupReport;
  /** See {@link TranscribeMediaContinuation.listenForCallbacks}. */
  private listenForCallbacks: boolean;

  constructor(
    private readonly originalInput: TranscribeMediaInput,
    private readonly input: ResolvedTranscribeMediaInput,
    private readonly status: RunStatus,
    private readonly inbox: CallbackInbox,
    continuation: TranscribeMediaContinuation | undefined,
  ) {
    this.attributes = new JobAttributes(continuation !== undefined);
    this.startedAt = workflowInfo().startTime.getTime();
    this.workflowStartedAt = continuation?.workflowStartedAt ?? new Date(this.startedAt).toISOString();
    this.deadlineAt = continuation?.deadlineAt ?? this.startedAt + input.deadlineMs;
    this.job = continuation?.job;
    this.listenForCallbacks = continuation?.listenForCallbacks ?? true;
    this.status.duplicatesFound(this.job?.duplicates);
    this.activities = activitiesFor(input.activityAttemptTimeoutMs, this.deadlineAt - Date.now());
  }

  async execute(): Promise<TranscriptionResult> {
    try {
      const job = this.job ?? (await this.submit());
      this.status.waiting();
      return await this.waitForResult(job);
    } catch (err) {
      // Continuing as new is how a long wait goes on, not an end of the run.
      if (err instanceof ContinueAsNew) throw err;
      if (isCancellation(err)) {
        // The run ends cancelled even when it kept a success: the caller asked for it (the memo says where it is).
        if (this.job) await cancelAfterWorkflowCancel(this.job, this.status, this.endSteps(this.job));
        throw err;
      }
      const failure = await this.cleanUpAfter(err);
      this.status.failed(failure);
      throw failure;
    }
  }

  private async submit(): Promise<SubmittedJob> {
    const { media, recognition, bucket, region, output, queueId, jobLevel, callback } = this.input;
    // The first task came after the deadline (no worker, a server outage): a job now could never be waited for.
    const lateByMs = Date.now() - this.deadlineAt;
    if (lateByMs >= 0) throw lateStartFailure(lateByMs);
    const submitJob = this.activities.submitTranscriptionJob;
    // Non-cancellable: once CI may have created the job we must learn its id, or a cancel could orphan a billed job.
    const job = await CancellationScope.nonCancellable(() =>
      submitJob({
        step: SUBMIT_STEP,
        request: { media, recognition, bucket, region, output, queueId, jobLevel, callback },
        callbackExpiresAt: new Date(this.deadlineAt + CALLBACK_TOKEN_MARGIN_MS).toISOString(),
      }),
    ).catch((err: unknown) => {
      // Out of budget: timed out, or a retryable failure the server would not retry past the schedule-to-close.
      if (err instanceof ActivityFailure && (err.cause instanceof TimeoutFailure || !isPermanentActivityFailure(err))) {
        throw submitDeadlineFailure(err.cause?.message ?? err.message);
      }
      throw err;
    });
    this.job = job;
    this.status.submitted(job.jobId);
    this.noteState(job.state);
    recordDuplicates(job.duplicates, this.status);
    return job;
  }

  /** Waits for a callback or the next poll until CI reports a final state (a success is stored by its check). */
  private async waitForResult(job: SubmittedJob): Promise<TranscriptionResult> {
    let check: Look = { snapshot: { jobId: job.jobId, state: job.state } };
    // CI calls back only when a job ends. A callback whose check finds the job still going is stale or replayed (the
    // URL is a bearer token), so the next wake-up is the poll timer: a flood costs at most one check per poll interval.
    for (;;) {
      const remaining = this.deadlineAt - Date.now();
      if (remaining <= 0) return await this.atDeadline(job, check);
      const delay = Math.min(pollDelayMs(this.input.polling, this.status.polls, Math.random()), remaining);
      this.status.nextPollAt(new Date(Date.now() + delay));
      // Every wake (a message, a timer) re-evaluates the budget, so a flood is cut off by continue-as-new in time.
      const budgetSpent = () => historyBudgetSpent(workflowInfo());
      const timer = new PollTimer(delay);
      const callbackWaiting = () => this.listenForCallbacks && this.inbox.hasFor(job.jobId);
      await condition(() => callbackWaiting() || budgetSpent() || timer.fired);
      const callbackArrived = callbackWaiting();
      this.status.nextPollAt(undefined);
      if (budgetSpent()) await this.continueAsNew(job);
      if (!callbackArrived && Date.now() >= this.deadlineAt) return await this.atDeadline(job, check);
      this.inbox.takeFor(job.jobId); // this check answers every callback received so far
      if (!callbackArrived) this.status.polled();
      const completedBy = callbackArrived ? 'callback' : 'poll';
      check = await this.check(job, check, completedBy);
      // A run that ends here leaves its timer pending (see PollTimer); any other way on cancels it first.
      if (check.result) return this.completed(check.result, completedBy);
      if (check.refused) return await endWithoutResult(job, check, this.status, this.endSteps(job));
      timer.cancel();
      const failure = finishedJobFailure(job.jobId, check.snapshot);
      if (failure) throw failure;
      this.listenForCallbacks = !callbackArrived;
      if (workflowInfo().continueAsNewSuggested) await this.continueAsNew(job);
    }
  }

  /**
   * Asks CI for the job once (storing its result if it succeeded); a failed check is waited out, not fatal, and one
   * refused for good (a manifest write denied, the job unknown) is handed back as `refused`, for
   * {@link endWithoutResult} to clean up and keep a success. Once a success is seen the result is stored whatever
   * happens to the run: the check is non-cancellable, so a workflow cancel arriving meanwhile cannot report a job
   * "that may still be billed" while its manifest gets written.
   */
  private async check(
    job: SubmittedJob,
    previous: JobCheck,
    completedBy: 'callback' | 'poll',
    atDeadline = false,
  ): Promise<Look> {
    const ask = () =>
      (atDeadline ? this.activities.checkAtDeadline : this.activities.checkTranscriptionJob)({
        job,
        media: this.input.media,
        manifestKey: this.input.manifestKey,
        completedBy,
        workflowStartedAt: this.workflowStartedAt,
        ...(atDeadline ? { atDeadline } : {}),
      });
    try {
      const check = await CancellationScope.nonCancellable(ask);
      this.noteState(check.snapshot.state);
      return check;
    } catch (err) {
      if (isCancellation(err)) throw err;
      if (isPermanentActivityFailure(err)) return { ...previous, refused: err, atDeadline };
      const error = (err as Error).message;
      this.status.noteError(error);
      log.warn('Checking the CI job failed; will try again', { jobId: job.jobId, error });
      return previous;
    }
  }

  private completed(result: TranscriptionResult, by: 'callback' | 'poll'): TranscriptionResult {
    recordDuplicates(result.duplicateJobs, this.status);
    this.status.completed(by);
    return result;
  }

  /**
   * The deadline passed. One last look first: a job that succeeded meanwhile is paid for, so its result is stored and
   * returned. Only a job still on its way is cancelled (if CI allows) by the cleanup, and reported (see
   * {@link endWithoutResult}, which also keeps a success the look missed or could not store).
   */
  private async atDeadline(job: SubmittedJob, previous: JobCheck): Promise<TranscriptionResult> {
    this.status.polled();
    const check = await this.check(job, previous, 'poll', true);
    if (check.result) return this.completed(check.result, 'poll');
    const failure = finishedJobFailure(job.jobId, check.snapshot);
    if (failure) throw failure;
    return await endWithoutResult(job, { ...check, atDeadline: true }, this.status, this.endSteps(job));
  }

  /**
   * The run is failing after it may have submitted: cancel what CI still allows of the step's jobs and add what it
   * would not to the failure. Invalid input never reached CI, and the deadline path has cleaned up already.
   */
  private async cleanUpAfter(err: unknown): Promise<unknown> {
    const plan = cleanupPlan(err, this.job?.jobId, this.status.jobState);
    if (this.cleanup || plan.skip) return err;
    return withCleanup(err, await this.cleanUp(plan.keepJobId), this.job?.jobId);
  }

  private async cleanUp(keepJobId: string | undefined): Promise<CleanupReport> {
    const { input, workflowStartedAt } = this;
    // Without a job the submit never answered, so it was sent by this run (a continued run always carries its job).
    const submitterRunId = this.job ? workflowInfo().firstExecutionRunId : workflowInfo().runId;
    const target = { step: SUBMIT_STEP, input, tag: this.job?.tag, submitterRunId, workflowStartedAt, keepJobId };
    return (this.cleanup = await cleanUpStep(this.activities, target, this.status));
  }

  /** The steps a run's end after waiting takes (a workflow cancel, the deadline), bound to `job`. */
  private endSteps(job: SubmittedJob): EndSteps {
    const { media, manifestKey } = this.input;
    const input = { job, media, manifestKey, completedBy: 'poll' as const, workflowStartedAt: this.workflowStartedAt };
    return {
      cleanUp: (keepJobId) => this.cleanUp(keepJobId),
      tryCancel: () => this.tryCancel(job),
      keep: (knownSuccess, atDeadline) =>
        keepSuccess(this.activities.keepResult, { ...input, atDeadline }, knownSuccess, (s) => this.noteState(s)),
      completed: (result) => this.completed(result, 'poll'),
    };
  }

  private tryCancel(job: SubmittedJob): Promise<CancelJobOutcome | undefined> {
    return cancelById(this.activities, job, this.status, (state) => this.noteState(state));
  }

  /** Records a confirmed job state and, when it changed, publishes it as search attributes. */
  private noteState(state: JobSnapshot['state']): void {
    this.attributes.publish(this.status.noteJobState(state));
  }

  private async continueAsNew(job: SubmittedJob): Promise<never> {
    // A cancel that came during a non-cancellable check would be lost by the new run (it has no cancel request).
    if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('Workflow cancelled');
    const { deadlineAt, workflowStartedAt, listenForCallbacks } = this;
    const carried = { deadlineAt, workflowStartedAt, listenForCallbacks };
    const next = continuationOf(job, this.status, this.inbox.pendingFor(job.jobId), carried);
    return await continueAsNew<typeof transcribeMedia>(this.originalInput, next);
  }
}
