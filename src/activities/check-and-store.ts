import { ApplicationFailure } from '@temporalio/common';
import type { AsrJob } from '../ci/types';
import { cosUri } from '../cos/ref';
import { FailureType } from '../shared/failure-types';
import type { ActivityDeps } from './deps';
import { buildManifest, summarizeResult } from './manifest';
import type { JobRef, JobResultSummary, JobSnapshot, StoreResultInput, TranscriptionResult } from '../contract';

/** A job's compact state: no transcript text enters history. */
export function snapshotOf(job: AsrJob): JobSnapshot {
  return { jobId: job.JobId, state: job.State, code: job.Code, message: job.Message, result: summarizeResult(job) };
}

/** One `get` of a job; a job CI does not know is a permanent failure. */
export async function fetchJob(deps: Pick<ActivityDeps, 'ciFor'>, ref: JobRef): Promise<AsrJob> {
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

/**
 * Stores a succeeded job's result: writes the manifest next to the transcript and returns the locations. Storing
 * never calls CI (no sweep): a late duplicate is the submit's sweeps' and the failed run's cleanup's business, and
 * the duplicates the submit found are recorded as it found them.
 */
export async function storeResult(
  deps: Pick<ActivityDeps, 'objects'>,
  input: StoreResultInput,
  summary: JobResultSummary,
): Promise<TranscriptionResult> {
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
  if (input.job.duplicates) transcription.duplicateJobs = input.job.duplicates;
  await deps.objects.put(
    { Bucket: output.bucket, Region: output.region, Key: input.manifestKey },
    JSON.stringify(buildManifest(summary, input, transcription), null, 2),
    'application/json',
  );
  return transcription;
}
