import { activityInfo, cancellationSignal, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { mintCallbackUrl } from '../callback/token';
import type { AsrJob } from '../ci/types';
import { FailureType } from '../shared/failure-types';
import { buildSubmitRequest, cosUri, placeJob } from './build-request';
import { createBatchActivities } from './batch-activities';
import type { ActivityDeps } from './deps';
import { sortingFailures } from './failures';
import { findTaggedJob } from './find-tagged-job';
import { jobTagFor } from './job-tag';
import { buildManifest, summarizeResult } from './manifest';
import type {
  CancelJobOutcome,
  JobRef,
  JobSnapshot,
  StoreResultInput,
  SubmitJobInput,
  SubmittedJob,
  TranscriptionResult,
} from './types';

function snapshotOf(job: AsrJob): JobSnapshot {
  return { jobId: job.JobId, state: job.State, code: job.Code, message: job.Message, result: summarizeResult(job) };
}

/** Time kept between a submit's own abort and the attempt's timeout, so the retry never overlaps it. */
const SUBMIT_ABORT_MARGIN_MS = 2_000;

/**
 * Aborts a submit on cancellation, and on its own shortly before the attempt times out: Temporal retries a timed-out
 * attempt without telling it (it does not heartbeat), and a request still in flight then could create a second job
 * after the retry looked for the first.
 */
function submitSignal(startToCloseTimeoutMs: number): AbortSignal {
  const ownDeadline = AbortSignal.timeout(Math.max(1_000, startToCloseTimeoutMs - SUBMIT_ABORT_MARGIN_MS));
  return AbortSignal.any([cancellationSignal(), ownDeadline]);
}

/**
 * Creates the activities `transcribeMedia` and other workflows call. Register the returned object with a worker:
 * `Worker.create({ activities: createActivities(deps), ... })`.
 */
export function createActivities(deps: ActivityDeps) {
  const now = deps.now ?? (() => new Date());

  async function fetchJob(ref: JobRef): Promise<AsrJob> {
    const { jobs } = await deps.ciFor(ref).get([ref.jobId]);
    const job = jobs.find((candidate) => candidate.JobId === ref.jobId);
    if (job) return job;
    throw ApplicationFailure.create({
      type: FailureType.CiRequestRejected,
      nonRetryable: true,
      message: `CI job ${ref.jobId} does not exist on ${ref.bucket} (${ref.region})`,
      details: [{ code: 'NonExistJobIds', jobId: ref.jobId }],
    });
  }

  return {
    ...createBatchActivities(deps),

    /**
     * Submits the step's CI job, or adopts the one an earlier attempt created (CI has no idempotency key: each
     * job is tagged with a hash of namespace, workflow id and step in `UserData`, and retries look for it first).
     */
    async submitTranscriptionJob(input: SubmitJobInput): Promise<SubmittedJob> {
      return sortingFailures(async () => {
        const info = activityInfo();
        // Started now, so the attempt's whole duration (adoption lookup included) counts against its deadline.
        const signal = submitSignal(info.startToCloseTimeoutMs);
        // Submitting is only meaningful on behalf of a workflow: its id keys the job tag and the callback URL.
        const workflowId = info.workflowExecution?.workflowId;
        if (!workflowId) throw new Error('submitTranscriptionJob must run as part of a workflow');
        const tag = jobTagFor(info.namespace, workflowId, input.step);
        const placement = placeJob(input.request, deps.defaults);
        const ci = deps.ciFor(placement);
        const queueId = input.request.queueId ?? deps.defaults.queueId;
        const toSubmitted = (job: AsrJob, adopted: boolean, callbackRequested: boolean): SubmittedJob => ({
          jobId: job.JobId,
          bucket: placement.bucket,
          region: placement.region,
          state: job.State,
          queueId: job.QueueId,
          output: placement.output,
          adopted,
          callbackRequested,
          createdAt: job.CreationTime.toISOString(),
        });
        const callbackUrl =
          input.request.callback.enabled && deps.callbacks
            ? mintCallbackUrl({ ...deps.callbacks, workflowId, expiresAt: new Date(input.callbackExpiresAt) })
            : undefined;
        if (info.attempt > 1) {
          const existing = await findTaggedJob(ci, tag, {
            sinceMs: info.scheduledTimestampMs,
            nowMs: now().getTime(),
            queueId,
          });
          if (existing) {
            log.info('Adopted the CI job an earlier attempt submitted', {
              jobId: existing.JobId,
              attempt: info.attempt,
            });
            return toSubmitted(existing, true, callbackUrl !== undefined);
          }
        }
        const request = buildSubmitRequest(input.request, placement, deps.defaults, tag, callbackUrl);
        const job = await ci.submit(request, { signal });
        log.info('Submitted CI job', {
          jobId: job.JobId,
          bucket: placement.bucket,
          callback: callbackUrl !== undefined,
        });
        return toSubmitted(job, false, callbackUrl !== undefined);
      });
    },

    /** Reads a job's current state (compact: no transcript text enters history). */
    async getTranscriptionJob(ref: JobRef): Promise<JobSnapshot> {
      return sortingFailures(async () => snapshotOf(await fetchJob(ref)));
    },

    /** Asks CI to cancel a job; CI only cancels jobs that have not started running, and the outcome says which. */
    async cancelTranscriptionJob(ref: JobRef): Promise<CancelJobOutcome> {
      return sortingFailures(async () => {
        const result = await deps.ciFor(ref).cancel(ref.jobId);
        return { jobId: ref.jobId, outcome: result.outcome, state: result.state };
      });
    },

    /**
     * Writes a JSON manifest next to the transcript (idempotent: the same content on every attempt) and returns
     * where transcript, detail and manifest are.
     */
    async storeTranscriptionResult(input: StoreResultInput): Promise<TranscriptionResult> {
      return sortingFailures(async () => {
        // The confirming poll already carries the summary; reading the job again would cost a CI call per job.
        const summary = input.final?.result ?? summarizeResult(await fetchJob(input.job));
        if (!summary) {
          throw ApplicationFailure.create({
            type: FailureType.ResultUnavailable,
            nonRetryable: true,
            message: `CI job ${input.job.jobId} has no result to store`,
            details: [{ jobId: input.job.jobId }],
          });
        }
        const { output } = input.job;
        const at = (key: string) => ({ ...output, key, uri: cosUri(output.bucket, key) });
        const transcription: TranscriptionResult = {
          jobId: input.job.jobId,
          resultObject: output,
          detailObject: summary.detailKey ? at(summary.detailKey) : undefined,
          manifestObject: at(input.manifestKey),
          audioTimeSeconds: summary.audioTimeSeconds,
          segments: summary.segments,
          engine: summary.engine,
          templateId: summary.templateId,
          completedBy: input.completedBy,
          startedAt: summary.startedAt,
          finishedAt: summary.finishedAt,
        };
        await deps.objects.put(
          { Bucket: output.bucket, Region: output.region, Key: input.manifestKey },
          JSON.stringify(buildManifest(summary, input, transcription), null, 2),
          'application/json',
        );
        return transcription;
      });
    },
  };
}

/** The activities object type, for `proxyActivities<Activities>()`. */
export type Activities = ReturnType<typeof createActivities>;
