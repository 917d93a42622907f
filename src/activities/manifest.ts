import type { AsrJob, SpeechRecognitionResult } from '../ci/types';
import type { StoreResultInput, TranscriptionResult } from './types';

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
  timestamps: { workflowStarted: string; jobCreated: string; jobStarted?: string; jobFinished?: string };
}

/** Segments in a result: CI's sentence details when present, else the `[start,end] text` lines. */
export function countSegments(result: SpeechRecognitionResult): number {
  if (result.ResultDetail.length > 0) return result.ResultDetail.length;
  return result.Result.split(/\r?\n|\\n/).filter((line) => /^\s*\[[^\]]+\]/.test(line)).length;
}

/**
 * Builds the manifest from CI's record of the job only (no wall-clock time), so a retried write puts the same
 * bytes and the put stays idempotent.
 */
export function buildManifest(
  job: AsrJob,
  input: StoreResultInput,
  result: TranscriptionResult,
): TranscriptionManifest {
  return {
    manifestVersion: MANIFEST_VERSION,
    jobId: job.JobId,
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
    queueId: job.QueueId,
    completedBy: result.completedBy,
    timestamps: {
      workflowStarted: input.workflowStartedAt,
      jobCreated: job.CreationTime.toISOString(),
      jobStarted: result.startedAt,
      jobFinished: result.finishedAt,
    },
  };
}
