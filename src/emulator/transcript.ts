import type { Sentence } from './job-model';

/** Suffix of the sidecar object holding the transcript of `<input key>` (one sentence per line). */
export const TRANSCRIPT_SUFFIX = '.transcript.txt';

/** Seconds of audio per generated sentence when there is no sidecar transcript. */
const SECONDS_PER_GENERATED_SENTENCE = 10;
const MAX_GENERATED_SENTENCES = 50;

/** Lines of a sidecar transcript, or generated lines that say plainly that they are emulated. */
export function transcriptLines(sidecar: string | undefined, inputLabel: string, seconds: number): string[] {
  const lines = (sidecar ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (lines.length > 0) return lines;
  const count = Math.min(MAX_GENERATED_SENTENCES, Math.max(1, Math.ceil(seconds / SECONDS_PER_GENERATED_SENTENCE)));
  return Array.from(
    { length: count },
    (_, i) => `[emulated transcript] sentence ${i + 1} of ${count} for ${inputLabel}`,
  );
}

const PUNCTUATION = /[\p{P}]/gu;

/** Words of a sentence: space-separated tokens, or single characters for text without spaces (e.g. Chinese). */
function splitWords(text: string, keepPunctuation: boolean): string[] {
  const cleaned = keepPunctuation ? text : text.replace(PUNCTUATION, ' ');
  const tokens = cleaned.split(/\s+/).filter((w) => w.length > 0);
  if (tokens.length > 1 || /^[\x20-\x7e]*$/.test(cleaned)) return tokens;
  return [...cleaned].filter((c) => c.trim().length > 0);
}

/**
 * Spreads sentences over the audio in proportion to their length and words evenly within each sentence.
 * `resTextFormat` 1 drops punctuation from the words (CI: "word-level detail without punctuation"); the sentence text
 * keeps it so the emulated-transcript marker stays visible.
 */
export function timeSentences(lines: string[], seconds: number, resTextFormat: number, speakers: number): Sentence[] {
  const totalMs = Math.max(1, Math.round(seconds * 1000));
  const totalChars = lines.reduce((n, l) => n + l.length, 0) || 1;
  let cursor = 0;
  return lines.map((line, i) => {
    const startMs = cursor;
    const endMs = i === lines.length - 1 ? totalMs : Math.round(cursor + (totalMs * line.length) / totalChars);
    cursor = endMs;
    const words = splitWords(line, resTextFormat !== 1);
    const span = Math.max(0, endMs - startMs);
    return {
      finalSentence: line,
      sliceSentence: words.join(' '),
      startMs,
      endMs,
      speakerId: speakers > 1 ? i % speakers : 0,
      words: words.map((word, w) => ({
        word,
        offsetStartMs: Math.round((span * w) / words.length),
        offsetEndMs: Math.round((span * (w + 1)) / words.length),
      })),
    };
  });
}

/** `m:s.mmm` as in CI's `Result` lines: whole minutes, then seconds with three decimals. */
export function formatResultTime(ms: number): string {
  return `${Math.floor(ms / 60_000)}:${((ms % 60_000) / 1000).toFixed(3)}`;
}

/** The `Result` text: one `[start,end] text` line per sentence, joined by `\n`. */
export function resultText(sentences: Sentence[]): string {
  return sentences
    .map((s) => `[${formatResultTime(s.startMs)},${formatResultTime(s.endMs)}] ${s.finalSentence}`)
    .join('\n');
}

function srtTime(ms: number): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)},${pad(ms % 1000, 3)}`;
}

/** SubRip cues, one per sentence. */
export function srtText(sentences: Sentence[]): string {
  return sentences
    .map((s, i) => `${i + 1}\n${srtTime(s.startMs)} --> ${srtTime(s.endMs)}\n${s.finalSentence}\n`)
    .join('\n');
}

/** Words per second of a sentence, one decimal, as `SpeechSpeed`. */
export function speechSpeed(sentence: Sentence): number {
  const seconds = (sentence.endMs - sentence.startMs) / 1000;
  return seconds > 0 ? Math.round((sentence.words.length / seconds) * 10) / 10 : 0;
}
