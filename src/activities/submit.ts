import type { Info } from '@temporalio/activity';
import { cancellationSignal, log } from '@temporalio/activity';
import { mintCallbackUrl } from '../callback/token';
import { withTraceContext } from '../observability/callback-trace';
import { countSubmitSends } from '../ci/submit-sends';
import type { AsrJob } from '../ci/types';
import { buildSubmitRequest, placeJob } from './build-request';
import type { ActivityDeps } from './deps';
import { anchoredWindow, findTaggedJobs } from './find-tagged-job';
import { jobTagFor } from './job-tag';
import { keepOldestTaggedJob } from './step-jobs';
import { submitThroughRefusals } from './submit-refusals';
import type { DuplicateJob, SubmitJobInput, SubmittedJob } from '../contract';

/** Time kept between a submit's own abort and the attempt's timeout, so the retry never overlaps it. */
const SUBMIT_ABORT_MARGIN_MS = 2_000;

/**
 * Aborts on cancellation, and on its own shortly before the attempt times out: Temporal retries a timed-out attempt
 * without telling it (it does not heartbeat). Created when the attempt starts, it bounds every CI call of the
 * attempt (lookup, submit, sweep), so no call of this attempt can outlive it and overlap the next. A plain timer is used, not `AbortSignal.timeout`, whose signal Node 20
 * may collect before it fires when only `AbortSignal.any` refers to it. Call `release` when done.
 */
export function attemptSignal(startToCloseTimeoutMs: number): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error('submit attempt reached its own deadline')),
    Math.max(1_000, startToCloseTimeoutMs - SUBMIT_ABORT_MARGIN_MS),
  );
  const cancelled = cancellationSignal();
  const onCancel = () => controller.abort(cancelled.reason);
  cancelled.addEventListener('abort', onCancel);
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      cancelled.removeEventListener('abort', onCancel);
    },
  };
}

/**
 * Submits a workflow step's one CI job, or adopts the one an earlier attempt created. CI has no idempotency key: the
 * job's `UserData` carries a tag hashed from namespace, workflow id, run id and step, and a retried attempt lists
 * the jobs created since the first attempt before it submits, and lists them again after it submitted. A first
 * attempt lists only when its submit was not provably a single send ({@link countSubmitSends}).
 */
export async function submitStepJob(
  deps: ActivityDeps,
  input: SubmitJobInput,
  info: Info,
  nowMs: () => number,
): Promise<SubmittedJob> {
  const execution = info.workflowExecution;
  if (!execution) throw new Error('submitTranscriptionJob must run as part of a workflow');
  const tag = jobTagFor({ namespace: info.namespace, ...execution }, input.step);
  const placement = placeJob(input.request, deps.defaults);
  const ci = deps.ciFor(placement);
  const queueId = input.request.queueId ?? deps.defaults.queueId;
  // `via: 'queue'`: no CallBack, so CI calls the queue's NotifyConfig URL, which finds this run by its CiJobId.
  const { enabled, via } = input.request.callback;
  const callbackUrl =
    enabled && via !== 'queue' && deps.callbacks
      ? withTraceContext(
          mintCallbackUrl({
            ...deps.callbacks,
            workflowId: execution.workflowId,
            // The URL vouches only for this job: the receiver refuses entries whose UserData is not this tag.
            jobTag: tag,
            expiresAt: new Date(input.callbackExpiresAt),
          }),
        )
      : undefined;
  const submitted = (job: AsrJob, adopted: boolean, duplicates: DuplicateJob[]): SubmittedJob => ({
    jobId: job.JobId,
    bucket: placement.bucket,
    region: placement.region,
    state: job.State,
    queueId: job.QueueId,
    output: placement.output,
    adopted,
    callbackRequested: callbackUrl !== undefined,
    createdAt: job.CreationTime.toISOString(),
    tag,
    attempt: info.attempt,
    ...(duplicates.length > 0 ? { duplicates } : {}),
  });
  const { signal, release } = attemptSignal(info.startToCloseTimeoutMs);
  const attemptStartMs = nowMs();
  try {
    const lookup = () =>
      findTaggedJobs(ci, tag, { sinceMs: info.scheduledTimestampMs, nowMs: nowMs(), queueId, signal });
    // The first attempt's sweep needs only the seconds around its own job (see anchoredWindow); a retry looks back
    // to the step's first attempt.
    const sweep = (job: AsrJob) =>
      info.attempt > 1 || Number.isNaN(job.CreationTime.getTime())
        ? lookup()
        : findTaggedJobs(ci, tag, {
            window: anchoredWindow(job.CreationTime, nowMs() - attemptStartMs),
            queueId,
            signal,
          });
    if (info.attempt > 1) {
      const { kept, duplicates } = await keepOldestTaggedJob(ci, await lookup(), signal);
      if (kept) {
        log.info('Adopted the CI job an earlier attempt submitted', { jobId: kept.JobId, attempt: info.attempt });
        return submitted(kept, true, duplicates);
      }
    }
    const request = buildSubmitRequest(input.request, placement, deps.defaults, tag, callbackUrl);
    const {
      value: { job, refusedSends },
      sends,
    } = await countSubmitSends(() => submitThroughRefusals(() => ci.submit(request, { signal }), signal));
    log.info('Submitted CI job', { jobId: job.JobId, bucket: placement.bucket, callback: callbackUrl !== undefined });
    // A first attempt with one submit that could make a job (the others refused unprocessed), answered, made exactly
    // this job: no earlier attempt exists and none starts before this one ends, so a sweep could only list it.
    if (info.attempt === 1 && sends - refusedSends === 1) return submitted(job, false, []);
    const tagged = await sweep(job);
    if (!tagged.some((other) => other.JobId === job.JobId)) tagged.push(job);
    tagged.sort((a, b) => a.CreationTime.getTime() - b.CreationTime.getTime() || a.JobId.localeCompare(b.JobId));
    const { kept = job, duplicates } = await keepOldestTaggedJob(ci, tagged, signal);
    return submitted(kept, kept.JobId !== job.JobId, duplicates);
  } finally {
    release();
  }
}
