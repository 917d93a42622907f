import type { TranscriptionResult } from '../activities/types';
import type { TencentClients } from '../ci/factory';
import { parseResultText, parseSrt, renderPlainText, renderSrt, renderVtt, segmentsFromResult } from '../ci/result';
import type { TranscriptSegment } from '../ci/result';
import { TranscriptParseError } from '../ci/result';
import type { TranscriptFormat } from './parse';

const SRT_START = /^\s*(?:\d+\s*\r?\n)?\d{2}:\d{2}:\d{2}[,.]\d{3}\s+-->/;

/** Segments of a transcript object: SubRip when CI wrote `srt`, else CI's `[start,end] text` lines. */
export function segmentsFromTranscriptObject(key: string, text: string): TranscriptSegment[] {
  return key.endsWith('.srt') || SRT_START.test(text) ? parseSrt(text) : parseResultText(text);
}

/**
 * Reads a finished transcription's segments: from the transcript object in COS, or, when that object is not in a
 * format we can parse (its content is not documented by Tencent), from the job's own `Result`/`ResultDetail`.
 */
export async function loadTranscript(
  result: TranscriptionResult,
  clients: TencentClients,
): Promise<TranscriptSegment[]> {
  const { bucket, region, key } = result.resultObject;
  const body = await clients.objects.get({ Bucket: bucket, Region: region, Key: key });
  try {
    return segmentsFromTranscriptObject(key, body.toString('utf8'));
  } catch (err) {
    if (!(err instanceof TranscriptParseError)) throw err;
  }
  // Jobs normally run in the output bucket's CI; the job id is all the lookup needs.
  const { jobs } = await clients.ciFor({ bucket, region }).get([result.jobId]);
  const recognition = jobs[0]?.Operation.SpeechRecognitionResult;
  if (recognition === undefined) throw new TranscriptParseError(`no readable transcript in ${result.resultObject.uri}`);
  return segmentsFromResult(recognition);
}

/** Renders segments as plain text, SubRip or WebVTT. */
export function renderTranscript(segments: readonly TranscriptSegment[], format: TranscriptFormat): string {
  if (format === 'srt') return renderSrt(segments);
  if (format === 'vtt') return renderVtt(segments);
  return renderPlainText(segments, { speakers: segments.some((s) => (s.speakerId ?? 0) > 0) });
}
