import type { Info } from '@temporalio/activity';
import { cancellationSignal, log } from '@temporalio/activity';
import { mintCallbackUrl } from '../callback/token';
import { countDuplicateJob } from '../observability/activity-metrics';
import { withTraceContext } from '../observability/callback-trace';
import type { AsrJob } from '../ci/types';
import { buildSubmitRequest, placeJob } from './build-request';
import type { ActivityDeps, CiJobsApi } from './deps';
import { findTaggedJobs } from './find-tagged-job';
import { jobTagFor } from './job-tag';
import type { SubmitJobInput, SubmittedJob } from './types';

/** Time kept between a submit's own abort and the attempt's timeout, so the retry never overlaps it. */
const SUBMIT_ABORT_MARGIN_MS = 2_000;

/**
 * Aborts on cancellation, and on its own shortly before the attempt times out: Temporal retries a timed-out attempt
 * without telling it (it does not heartbeat). A plain timer is used, not `AbortSignal.timeout`, whose signal Node 20
 * may collect before it fires when only `AbortSignal.any` refers to it. Call `release` when done.
 */
function attemptSignal(startToCloseTimeoutMs: number): { signal: AbortSignal; release: () => void } {
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
 * Keeps the oldest of a step's tagged jobs and cancels the others while CI still allows it. An earlier attempt's
 * request may have created a job after the retry looked (CI answered late, or the response was lost), so every
 * retried attempt sweeps once more before it reports its job.
 */
async function keepOldestTaggedJob(ci: CiJobsApi, tagged: AsrJob[]): Promise<AsrJob | undefined> {
  const [oldest, ...duplicates] = tagged;
  for (const job of duplicates) {
    const { outcome } = await ci.cancel(job.JobId);
    countDuplicateJob(outcome);
    log.warn('Cancelled a duplicate CI job of this step', { jobId: job.JobId, kept: oldest?.JobId, outcome });
  }
  return oldest;
}

/**
 * Submits a workflow step's one CI job, or adopts the one an earlier attempt created. CI has no idempotency key: the
 * job's `UserData` carries a tag hashed from namespace, workflow id, run id and step, and a retried attempt lists
 * the jobs created since the first attempt before it submits, and again after.
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
  const callbackUrl =
    input.request.callback.enabled && deps.callbacks
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
  const submitted = (job: AsrJob, adopted: boolean): SubmittedJob => ({
    jobId: job.JobId,
    bucket: placement.bucket,
    region: placement.region,
    state: job.State,
    queueId: job.QueueId,
    output: placement.output,
    adopted,
    callbackRequested: callbackUrl !== undefined,
    createdAt: job.CreationTime.toISOString(),
  });
  const retried = info.attempt > 1;
  const lookup = () => findTaggedJobs(ci, tag, { sinceMs: info.scheduledTimestampMs, nowMs: nowMs(), queueId });
  if (retried) {
    const existing = await keepOldestTaggedJob(ci, await lookup());
    if (existing) {
      log.info('Adopted the CI job an earlier attempt submitted', { jobId: existing.JobId, attempt: info.attempt });
      return submitted(existing, true);
    }
  }
  const { signal, release } = attemptSignal(info.startToCloseTimeoutMs);
  let job: AsrJob;
  try {
    job = await ci.submit(buildSubmitRequest(input.request, placement, deps.defaults, tag, callbackUrl), { signal });
  } finally {
    release();
  }
  log.info('Submitted CI job', { jobId: job.JobId, bucket: placement.bucket, callback: callbackUrl !== undefined });
  if (!retried) return submitted(job, false);
  const tagged = await lookup();
  if (!tagged.some((other) => other.JobId === job.JobId)) tagged.push(job);
  const kept = (await keepOldestTaggedJob(ci, tagged)) ?? job;
  return submitted(kept, kept.JobId !== job.JobId);
}
