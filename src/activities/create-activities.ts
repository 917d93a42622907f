import { activityInfo } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { AsrJob } from '../ci/types';
import { cosUri } from '../cos/ref';
import { FailureType } from '../shared/failure-types';
import { createBatchActivities } from './batch-activities';
import type { ActivityRuntime } from './deps';
import { sortingFailures } from './failures';
import { buildManifest, summarizeResult } from './manifest';
import { submitStepJob } from './submit/attempt';
import { cleanUpStepJobs } from './submit/cleanup';
import type {
  Activities,
  CancelJobOutcome,
  CleanUpJobsInput,
  CleanupReport,
  JobCheck,
  JobRef,
  JobResultSummary,
  JobSnapshot,
  StoreResultInput,
  SubmitJobInput,
  SubmittedJob,
  TranscriptionResult,
} from '../contract';

function snapshotOf(job: AsrJob): JobSnapshot {
  return { jobId: job.JobId, state: job.State, code: job.Code, message: job.Message, result: summarizeResult(job) };
}

/**
 * Creates the activities `transcribeMedia` and other workflows call. Register the returned object with a worker:
 * `Worker.create({ activities: createActivities(deps), ... })`.
 */
export function createActivities(deps: ActivityRuntime): Activities {
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

  async function writeManifest(input: StoreResultInput, summary: JobResultSummary) {
    const { output } = input.job;
    const at = (key: string) => ({ ...output, key, uri: cosUri({ Bucket: output.bucket, Key: key }) });
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
      ...(input.atDeadline ? { keptAtDeadline: true } : {}),
    };
    // Storing never sweeps CI: a late duplicate is the submit's sweep's and the failed run's cleanup's business.
    if (input.job.duplicates) transcription.duplicateJobs = input.job.duplicates;
    await deps.objects.put(
      { Bucket: output.bucket, Region: output.region, Key: input.manifestKey },
      JSON.stringify(buildManifest(summary, input, transcription), null, 2),
      'application/json',
    );
    return transcription;
  }

  return {
    ...createBatchActivities(deps),

    /** Submits the step's CI job exactly once, adopting the one an earlier attempt created (see `submitStepJob`). */
    async submitTranscriptionJob(input: SubmitJobInput): Promise<SubmittedJob> {
      return sortingFailures(() => submitStepJob(deps, input, activityInfo(), () => now().getTime()));
    },

    /** Whether lone runs submit on the CI quota queue (see `ActivityRuntime.sharedSubmitQueue`). */
    async usesSharedSubmitQueue(): Promise<boolean> {
      return Promise.resolve(deps.sharedSubmitQueue === true);
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
     * One look at a waiting job: its compact state, and when it succeeded, its result stored at once (manifest
     * written, locations returned). Confirming and storing in one activity saves a workflow task and an activity per
     * job, and CI is asked once.
     */
    async checkTranscriptionJob(input: StoreResultInput): Promise<JobCheck> {
      // `atDeadline`: the run's last look before it gives up; a success found now is stored, not thrown away.
      return sortingFailures(async () => {
        const snapshot = snapshotOf(await fetchJob(input.job));
        if (!snapshot.result) return { snapshot };
        return { snapshot, result: await writeManifest(input, snapshot.result) };
      });
    },

    /**
     * Cancels what CI still allows of a step's jobs (found by tag), except `keepJobId`, and reports what it could not
     * cancel. A lookup CI refuses for good is reported (`lookupError`), not thrown: the run is failing already and
     * its failure must say so. Transient errors are thrown, for Temporal to retry within the cleanup's budget.
     */
    async cleanUpStepJobs(input: CleanUpJobsInput): Promise<CleanupReport> {
      return cleanUpStepJobs(deps, input, activityInfo(), () => now().getTime());
    },
  };
}
