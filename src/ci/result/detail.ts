import type { AsrSentence, SpeechRecognitionResult } from '../types';
import { parseResultText } from './result-text';
import type { TranscriptSegment } from './segment';

/**
 * Turns `ResultDetail` sentences into segments: `FinalSentence` text, the sentence's `SpeakerId`, and words with
 * absolute times (CI's `OffsetStartMs`/`OffsetEndMs` are relative to the sentence's `StartMs`).
 */
export function segmentsFromSentences(sentences: readonly AsrSentence[]): TranscriptSegment[] {
  return sentences.map((s) => {
    const segment: TranscriptSegment = { startMs: s.StartMs, endMs: s.EndMs, text: s.FinalSentence.trim() };
    if (s.SpeakerId !== undefined) segment.speakerId = s.SpeakerId;
    if (s.Words.length > 0) {
      segment.words = s.Words.map((w) => ({
        word: w.Word,
        startMs: s.StartMs + w.OffsetStartMs,
        endMs: s.StartMs + w.OffsetEndMs,
      }));
    }
    return segment;
  });
}

/**
 * Segments of a job result: from `ResultDetail` when CI sent sentences (`ResTextFormat` ≥ 1, with words and speakers),
 * else parsed from the `Result` text (odd lines throw; see `parseResultText`).
 */
export function segmentsFromResult(
  result: Pick<SpeechRecognitionResult, 'Result' | 'ResultDetail'>,
): TranscriptSegment[] {
  if (result.ResultDetail.length > 0) return segmentsFromSentences(result.ResultDetail);
  return parseResultText(result.Result);
}
