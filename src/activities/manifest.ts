import type { AsrJob, SpeechRecognitionResult } from '../ci/types';
import type { DuplicateJob, JobResultSummary, StoreResultInput, TranscriptionResult } from '../contract';

/** Version of the manifest format written next to each transcript. */
export const MANIFEST_VERSION = 1;

/** The JSON manifest describing one finished transcription. */
export interface TranscriptionManifest {
  manifestVersion: number;
  jobId: string;
  input: { bucket: string; region: string; object?: string; url?: string };
  output: { transcript: string; detail?: string; manifest: string };
  audioTimeSeconds: number;
  segments: number;
  engine?: string;
  templateId?: string;
  queueId?: string;
  completedBy: 'callback' | 'poll';
  /** True when the job's success was only found by the run's last check at its deadline. */
  keptAtDeadline?: boolean;
  /** Other jobs of the same step (retried submits); those not `cancelled` were billed as well. */
  duplicateJobs?: DuplicateJob[];
  timestamps: { workflowStarted: string; jobCreated: string; jobStarted?: string; jobFinished?: string };
}

/** Segments in a result: CI's sentence details when present, else the `[start,end] text` lines. */
export function countSegments(result: SpeechRecognitionResult): number {
  if (result.ResultDetail.length > 0) return result.ResultDetail.length;
  return result.Result.split(/\r?\n|\\n/).filter((line) => /^\s*\[[^\]]+\]/.test(line)).length;
}

/** The few result fields of a successful job that the workflow and the manifest need. */
export function summarizeResult(job: AsrJob): JobResultSummary | undefined {
  const result = job.Operation.SpeechRecognitionResult;
  if (job.State !== 'Success' || !result) return undefined;
  return {
    audioTimeSeconds: result.AudioTime,
    segments: countSegments(result),
    detailKey: result.DetailObjectName?.replace(/^\/+/, '') || undefined,
    engine: job.Operation.SpeechRecognition?.EngineModelType,
    templateId: job.Operation.TemplateId,
    queueId: job.QueueId,
    createdAt: job.CreationTime.toISOString(),
    startedAt: job.StartTime?.toISOString(),
    finishedAt: job.EndTime?.toISOString(),
  };
}

/**
 * Builds the manifest from CI's record of the job only (no wall-clock time), so a retried write puts the same
 * bytes and the put stays idempotent.
 */
export function buildManifest(
  summary: JobResultSummary,
  input: StoreResultInput,
  result: TranscriptionResult,
): TranscriptionManifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    jobId: result.jobId,
    input: {
      bucket: input.job.bucket,
      region: input.job.region,
      ...('object' in input.media ? { object: input.media.object } : { url: input.media.url }),
    },
    output: {
      transcript: result.resultObject.uri,
      detail: result.detailObject?.uri,
      manifest: result.manifestObject.uri,
    },
    audioTimeSeconds: result.audioTimeSeconds,
    segments: result.segments,
    engine: result.engine,
    templateId: result.templateId,
    queueId: summary.queueId,
    completedBy: result.completedBy,
    ...(result.keptAtDeadline ? { keptAtDeadline: true } : {}),
    ...(result.duplicateJobs ? { duplicateJobs: result.duplicateJobs } : {}),
    timestamps: {
      workflowStarted: input.workflowStartedAt,
      jobCreated: summary.createdAt,
      jobStarted: result.startedAt,
      jobFinished: result.finishedAt,
    },
  };
}
