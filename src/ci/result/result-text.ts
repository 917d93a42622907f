import { TranscriptParseError } from './segment';
import type { TranscriptSegment } from './segment';
import { formatCiTimestamp, parseCiTimestamp } from './timecode';

/** What to do with a line of `Result` that is not `[start,end] text`. */
export type InvalidLinePolicy = 'throw' | 'skip';

/** Options of {@link parseResultText}. */
export interface ParseResultTextOptions {
  /** `throw` (default): a {@link TranscriptParseError} naming the line; `skip`: drop it and tell `onSkip`. */
  invalidLines?: InvalidLinePolicy;
  /** Called with each skipped line's error under the `skip` policy. */
  onSkip?: (error: TranscriptParseError) => void;
}

const LINE = /^\[([^\],]+),([^\]]+)\]\s*(.*)$/;

/**
 * Line breaks CI may use in `Result`: real `\n` / `\r\n`, or the two characters `\` `n` (seen in the Python SDK
 * samples, e.g. `'[0:0.160,1:0.640] Test test\\n'`).
 */
const LINE_BREAK = /\r\n|\r|\n|\\n/;

function parseLine(line: string, lineNo: number): TranscriptSegment {
  const m = LINE.exec(line);
  if (!m)
    throw new TranscriptParseError(`expected "[m:s.mmm,m:s.mmm] text": ${JSON.stringify(line.slice(0, 40))}`, lineNo);
  const startMs = parseCiTimestamp(m[1]!, lineNo);
  const endMs = parseCiTimestamp(m[2]!, lineNo);
  if (endMs < startMs) throw new TranscriptParseError(`segment ends (${m[2]}) before it starts (${m[1]})`, lineNo);
  return { startMs, endMs, text: m[3]!.trim() };
}

/**
 * Parses CI's `Result` text (`[0:0.160,1:0.640] text` per line; one or more spaces after `]`; hours allowed as
 * `h:m:s.mmm`) into segments. Blank lines are ignored. Odd lines throw a {@link TranscriptParseError} unless
 * `invalidLines` is `skip`.
 */
export function parseResultText(text: string, options: ParseResultTextOptions = {}): TranscriptSegment[] {
  if (typeof text !== 'string') throw new TranscriptParseError('Result must be a string');
  const segments: TranscriptSegment[] = [];
  text.split(LINE_BREAK).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      segments.push(parseLine(line, index + 1));
    } catch (err) {
      if (options.invalidLines !== 'skip' || !(err instanceof TranscriptParseError)) throw err;
      options.onSkip?.(err);
    }
  });
  return segments;
}

/** Renders segments in CI's `Result` format, one `[m:s.mmm,m:s.mmm] text` line each, `\n`-separated. */
export function renderResultText(segments: readonly TranscriptSegment[]): string {
  return segments
    .map((s) => `[${formatCiTimestamp(s.startMs)},${formatCiTimestamp(s.endMs)}] ${oneLine(s.text)}`)
    .join('\n');
}

/** Cue and line text must stay on one line; CI's text never has breaks, other sources might. */
export function oneLine(text: string): string {
  return text.replace(/\s*(?:\r\n|\r|\n)\s*/g, ' ').trim();
}
