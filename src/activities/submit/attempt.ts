import { setTimeout as sleep } from 'node:timers/promises';
import type { Info } from '@temporalio/activity';
import { log } from '@temporalio/activity';
import { mintCallbackUrl } from '../../callback/token';
import { withTraceContext } from '../../observability/callback-trace';
import { sdkSelfCheck } from '../../ci/sdk-self-check';
import type { AsrJob } from '../../ci/types';
import type { ActivityDeps, CiJobsApi } from '../deps';
import type { DuplicateJob, SubmitJobInput, SubmittedJob } from '../../contract';
import { attemptBudgetMs, attemptSignal, LATE_SUBMIT_SETTLE_MS, SECOND_LOOK_RESERVE_MS } from './deadline';
import { anchoredWindow, findTaggedJobs, sortedByCreation } from './lookup';
import { submitThroughRefusals } from './refusals';
import type { JobPlacement } from './request';
import { buildSubmitRequest, placeJob } from './request';
import { keepOldestTaggedJob, sweepDuplicates } from './step-jobs';
import { stepTag } from './tag';

/**
 * One attempt of a workflow step's submit, in three named steps: {@link adoptEarlierJob} (a retry looks for the job
 * an earlier attempt created), {@link sendCounted} (the submit, refusals retried, every send on the wire counted) and
 * {@link sweepAfterSending} (the step's tagged jobs listed again, the oldest kept, the others cancelled or recorded).
 * CI has no idempotency key: the job's `UserData` carries the step's tag ({@link stepTag}). Every CI call of the
 * attempt is bounded by its own deadline ({@link attemptSignal}), the earlier of its start-to-close and the
 * activity's schedule-to-close; a submit that deadline ends is aborted on its socket.
 */
export class SubmitAttempt {
  readonly tag: string;
  private readonly placement: JobPlacement;
  private readonly ci: CiJobsApi;
  private readonly callbackUrl: string | undefined;
  private readonly startedAtMs: number;
  private readonly startedAtWorkerMs: number;
  /** When this attempt's own deadline fires, on the worker's clock. */
  private readonly deadlineAtMs: number;
  /** HTTP requests the submit put on the wire (the client's `onSend`); 0 when the client does not count. */
  private sends = 0;

  constructor(
    private readonly deps: ActivityDeps,
    private readonly input: SubmitJobInput,
    private readonly info: Info,
    private readonly nowMs: () => number,
    private readonly signal: AbortSignal,
  ) {
    const execution = info.workflowExecution;
    if (!execution) throw new Error('submitTranscriptionJob must run as part of a workflow');
    this.tag = stepTag(info, input.step);
    this.placement = placeJob(input.request, deps.defaults);
    this.ci = deps.ciFor(this.placement);
    this.startedAtMs = nowMs();
    this.startedAtWorkerMs = Date.now();
    this.deadlineAtMs = this.startedAtWorkerMs + attemptBudgetMs(info, this.startedAtWorkerMs);
    // `via: 'queue'`: no CallBack, so CI calls the queue's NotifyConfig URL, which finds this run by its CiJobId.
    const { enabled, via } = input.request.callback;
    this.callbackUrl =
      enabled && via !== 'queue' && deps.callbacks
        ? withTraceContext(
            mintCallbackUrl({
              ...deps.callbacks,
              workflowId: execution.workflowId,
              // The URL vouches only for this job: the receiver refuses entries whose UserData is not this tag.
              jobTag: this.tag,
              expiresAt: new Date(input.callbackExpiresAt),
            }),
          )
        : undefined;
  }

  /** The queue every submit and lookup of this attempt names; undefined lets the client send the bucket's own. */
  private get queueId(): string | undefined {
    return this.input.request.queueId ?? this.deps.defaults.queueId;
  }

  /** Runs the attempt: adopt, else send and (unless the send provably made one job) sweep; a retry looks twice. */
  async run(): Promise<SubmittedJob> {
    if (this.info.attempt === 1) return this.adoptOrSend();
    return this.sweepLateCommits(await this.adoptOrSend());
  }

  private async adoptOrSend(): Promise<SubmittedJob> {
    const adopted = this.info.attempt > 1 ? await this.adoptEarlierJob() : undefined;
    if (adopted) return adopted;
    const { job, refusedSends } = await this.sendCounted();
    log.info('Submitted CI job', {
      jobId: job.JobId,
      bucket: this.placement.bucket,
      callback: this.callbackUrl !== undefined,
    });
    // A first attempt with one send that could make a job (the others refused unprocessed), answered, made exactly
    // this job, provided the SDK is known not to re-send a submit on its own (checked once per process): no earlier
    // attempt exists and none starts before this one ends, so a sweep could only list it.
    const check = await sdkSelfCheck();
    const single = this.sends - refusedSends === 1 && 'sends' in check && check.sends === 1;
    if (this.info.attempt === 1 && single) return this.submitted(job, false, []);
    return this.sweepAfterSending(job);
  }

  /** A retry's first step: the oldest job an earlier attempt created is kept (the others swept), or none exists. */
  async adoptEarlierJob(): Promise<SubmittedJob | undefined> {
    const { kept, duplicates } = await keepOldestTaggedJob(this.ci, await this.sinceFirstAttempt(), this.signal);
    if (!kept) return undefined;
    log.info('Adopted the CI job an earlier attempt submitted', { jobId: kept.JobId, attempt: this.info.attempt });
    return this.submitted(kept, true, duplicates);
  }

  /** The submit, throttling refusals retried inside the attempt, every HTTP request it sends counted. */
  async sendCounted(): Promise<{ job: AsrJob; refusedSends: number }> {
    const check = await sdkSelfCheck();
    if ('sends' in check && check.sends !== 1) {
      log.error('The installed cos-nodejs-sdk-v5 re-sends submits on its own: every submit is swept', { ...check });
    }
    const request = buildSubmitRequest(
      this.input.request,
      this.placement,
      this.deps.defaults,
      this.tag,
      this.callbackUrl,
    );
    const onSend = () => void this.sends++;
    return submitThroughRefusals(() => this.ci.submit(request, { signal: this.signal, onSend }), this.signal);
  }

  /**
   * Lists the step's tagged jobs again after sending (an earlier send may have made one CI answered late or whose
   * answer was lost), keeps the oldest and cancels or records the others. A first attempt looks only at the seconds
   * around its own job (see `anchoredWindow`); a retry looks back to the step's first attempt.
   */
  async sweepAfterSending(job: AsrJob): Promise<SubmittedJob> {
    const tagged =
      this.info.attempt > 1 || Number.isNaN(job.CreationTime.getTime())
        ? await this.sinceFirstAttempt()
        : await findTaggedJobs(this.ci, this.tag, {
            window: anchoredWindow(job.CreationTime, this.nowMs() - this.startedAtMs),
            queueId: this.queueId,
            signal: this.signal,
          });
    if (!tagged.some((other) => other.JobId === job.JobId)) tagged.push(job);
    const { kept = job, duplicates } = await keepOldestTaggedJob(this.ci, sortedByCreation(tagged), this.signal);
    return this.submitted(kept, kept.JobId !== job.JobId, duplicates);
  }

  /**
   * A retry's second look: an earlier attempt's submit that CI received before that attempt gave up may commit its
   * job after this attempt's first look. Once {@link LATE_SUBMIT_SETTLE_MS} have passed since this attempt started
   * (so since every earlier one ended), the step's jobs are listed again and any new one is swept as a duplicate of
   * the kept job (newer, so the kept job stays the oldest).
   */
  async sweepLateCommits(result: SubmittedJob): Promise<SubmittedJob> {
    const waitMs = Math.min(
      LATE_SUBMIT_SETTLE_MS - (Date.now() - this.startedAtWorkerMs),
      this.deadlineAtMs - Date.now() - SECOND_LOOK_RESERVE_MS,
    );
    if (waitMs > 0) await sleep(waitMs, undefined, { signal: this.signal }).catch(() => this.signal.throwIfAborted());
    const known = new Set([result.jobId, ...(result.duplicates ?? []).map((d) => d.jobId)]);
    const late = (await this.sinceFirstAttempt()).filter((job) => !known.has(job.JobId));
    if (late.length === 0) return result;
    const more = await sweepDuplicates(this.ci, result.jobId, late, this.signal);
    return { ...result, duplicates: [...(result.duplicates ?? []), ...more] };
  }

  private sinceFirstAttempt(): Promise<AsrJob[]> {
    const { info, nowMs, queueId, signal } = this;
    return findTaggedJobs(this.ci, this.tag, { sinceMs: info.scheduledTimestampMs, nowMs: nowMs(), queueId, signal });
  }

  private submitted(job: AsrJob, adopted: boolean, duplicates: DuplicateJob[]): SubmittedJob {
    return {
      jobId: job.JobId,
      bucket: this.placement.bucket,
      region: this.placement.region,
      state: job.State,
      queueId: job.QueueId,
      output: this.placement.output,
      adopted,
      callbackRequested: this.callbackUrl !== undefined,
      createdAt: job.CreationTime.toISOString(),
      tag: this.tag,
      attempt: this.info.attempt,
      ...(duplicates.length > 0 ? { duplicates } : {}),
    };
  }
}

/**
 * Submits a workflow step's one CI job, or adopts the one an earlier attempt created: one {@link SubmitAttempt},
 * bounded by its own deadline.
 */
export async function submitStepJob(
  deps: ActivityDeps,
  input: SubmitJobInput,
  info: Info,
  nowMs: () => number,
): Promise<SubmittedJob> {
  // The worker's real clock, not the injectable `nowMs`: the deadline is a timer in this process.
  const { signal, release } = attemptSignal(info);
  try {
    return await new SubmitAttempt(deps, input, info, nowMs, signal).run();
  } finally {
    release();
  }
}
