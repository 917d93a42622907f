import { detailObjectJson } from './job-detail';
import type { EmulatedJob, JobResult } from './job-model';
import { inputLabel } from './job-model';
import type { ObjectStore } from './object-store';
import { resultText, srtText, timeSentences, TRANSCRIPT_SUFFIX, transcriptLines } from './transcript';
import { audioSeconds } from './wav';

/** The media of a job and the sidecar transcript next to it, when the input resolves. */
export interface ResolvedInput {
  media: Buffer;
  transcript?: string;
}

/** Why a job's input could not be read: the CI code and message the job fails with. */
export interface InputFailure {
  code: string;
  message: string;
}

/** Finds an input URL inside the emulator: `(bucket, key)` when it names an emulated object, else `undefined`. */
export type UrlResolver = (url: string) => { bucket: string; key: string } | undefined;

function fromStore(objects: ObjectStore, bucket: string, key: string): ResolvedInput | undefined {
  const media = objects.get(bucket, key);
  if (!media) return undefined;
  return { media: media.body, transcript: objects.get(bucket, key + TRANSCRIPT_SUFFIX)?.body.toString('utf8') };
}

async function download(url: string, timeoutMs: number): Promise<ResolvedInput | InputFailure> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok)
      return { code: 'ResourceDownloadFailed', message: `Downloading ${url} gave HTTP ${response.status}.` };
    return { media: Buffer.from(await response.arrayBuffer()) };
  } catch (err) {
    return { code: 'ResourceDownloadFailed', message: `Downloading ${url} failed: ${(err as Error).message}` };
  }
}

/** Reads a job's input from the emulated bucket, or downloads its URL. */
export async function resolveInput(
  job: EmulatedJob,
  objects: ObjectStore,
  resolveUrl: UrlResolver,
  timeoutMs: number,
): Promise<ResolvedInput | InputFailure> {
  const { object, url } = job.spec.input;
  if (object !== undefined) {
    return (
      fromStore(objects, job.bucket, object) ?? {
        code: 'ResourceNotFound',
        message: `The input object ${job.bucket}/${object} does not exist.`,
      }
    );
  }
  const local = resolveUrl(url ?? '');
  if (!local) return download(url ?? '', timeoutMs);
  return (
    fromStore(objects, local.bucket, local.key) ?? {
      code: 'ResourceNotFound',
      message: `The input ${url} does not exist.`,
    }
  );
}

/** Transcribes (emulated) the input, writes the result and `.detail` objects, and returns the job result. */
export function produceResult(job: EmulatedJob, input: ResolvedInput, objects: ObjectStore, nowMs: number): JobResult {
  const params = job.spec.speechRecognition;
  const seconds = audioSeconds(input.media);
  const lines = transcriptLines(input.transcript, inputLabel(job), seconds);
  const speakers = params.SpeakerDiarization === '1' ? Number(params.SpeakerNumber) || 2 : 1;
  const sentences = timeSentences(lines, seconds, Number(params.ResTextFormat ?? '0'), speakers);
  const text = resultText(sentences);
  const { bucket, object } = job.spec.output;
  const audioTime = seconds.toFixed(3);
  const srt = params.OutputFileType === 'srt';
  objects.put(bucket, object, Buffer.from(srt ? srtText(sentences) : `${text}\n`), {
    contentType: srt ? 'application/x-subrip' : 'text/plain; charset=utf-8',
    nowMs,
  });
  const detailName = `${object}.detail`;
  objects.put(bucket, detailName, Buffer.from(detailObjectJson({ audioTime, sentences })), {
    contentType: 'application/json',
    nowMs,
  });
  return { audioTime, resultText: text, sentences, objectName: object, detailObjectName: detailName };
}
