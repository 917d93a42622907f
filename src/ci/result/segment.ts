import { TencentCiAsrError } from '../../shared/errors';

/** One word with times in milliseconds from the start of the audio. */
export interface TranscriptWord {
  word: string;
  startMs: number;
  endMs: number;
}

/** One transcript line (a CI sentence or subtitle cue), times in ms from the start of the audio. */
export interface TranscriptSegment {
  startMs: number;
  endMs: number;
  text: string;
  /** Speaker (diarization) or channel id, when CI reported one. */
  speakerId?: number;
  /** Word timings, when CI reported them (`ResTextFormat` ≥ 1). */
  words?: TranscriptWord[];
}

/**
 * Input that is not a transcript in the expected format; `line` is 1-based when known. Thrown by the result-text,
 * subtitle and timecode parsers (`parseResultText` unless `invalidLines` is `'skip'`).
 */
export class TranscriptParseError extends TencentCiAsrError {
  override readonly name = 'TranscriptParseError';

  constructor(
    message: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`, options);
  }
}
