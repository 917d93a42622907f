import { TranscriptParseError } from './segment';
import type { TranscriptSegment } from './segment';
import { parseSubtitleTime } from './timecode';

const TIMING = /^(\S+)\s+-->\s+(\S+)(?:\s+.*)?$/;

interface Block {
  lines: string[];
  /** 1-based line number of the block's first line. */
  firstLine: number;
}

/** Splits text into blank-line separated blocks, keeping line numbers for errors. */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  let current: Block | undefined;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .forEach((line, index) => {
      if (line.trim() === '') {
        current = undefined;
        return;
      }
      if (current === undefined) {
        current = { lines: [], firstLine: index + 1 };
        out.push(current);
      }
      current.lines.push(line);
    });
  return out;
}

function timing(line: string | undefined, lineNo: number): { startMs: number; endMs: number } {
  const m = TIMING.exec(line?.trim() ?? '');
  if (!m)
    throw new TranscriptParseError(`expected "start --> end": ${JSON.stringify((line ?? '').slice(0, 40))}`, lineNo);
  const startMs = parseSubtitleTime(m[1]!, lineNo);
  const endMs = parseSubtitleTime(m[2]!, lineNo);
  if (endMs < startMs) throw new TranscriptParseError('cue ends before it starts', lineNo);
  return { startMs, endMs };
}

/** Parses SubRip text into segments (cue numbers optional; multi-line cue text joined with spaces). */
export function parseSrt(text: string): TranscriptSegment[] {
  if (typeof text !== 'string') throw new TranscriptParseError('SRT input must be a string');
  return blocks(text).map(({ lines, firstLine }) => {
    const hasIndex = /^\d+$/.test(lines[0]!.trim());
    const at = hasIndex ? 1 : 0;
    const times = timing(lines[at], firstLine + at);
    return {
      ...times,
      text: lines
        .slice(at + 1)
        .map((l) => l.trim())
        .join(' ')
        .trim(),
    };
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', nbsp: '\u00a0', lrm: '\u200e', rlm: '\u200f' };

/** Cue text without tags, with entities decoded, and the speaker of a leading `<v Speaker N>` span. */
function cueText(raw: string): { text: string; speakerId?: number } {
  const voice = /^<v(?:\.[^\s>]*)?\s+([^>]*)>/.exec(raw);
  const speaker = voice ? /^Speaker (\d+)$/.exec(voice[1]!.trim()) : null;
  const text = raw
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|nbsp|lrm|rlm);/g, (_m, name: string) => ENTITIES[name] ?? '')
    .trim();
  return speaker ? { text, speakerId: Number(speaker[1]) } : { text };
}

/** Parses WebVTT into segments; NOTE, STYLE and REGION blocks, cue ids, settings and tags are dropped. */
export function parseVtt(text: string): TranscriptSegment[] {
  if (typeof text !== 'string') throw new TranscriptParseError('WebVTT input must be a string');
  const all = blocks(text);
  const header = all.shift();
  if (header === undefined || !/^WEBVTT(?:[ \t].*)?$/.test(header.lines[0]!)) {
    throw new TranscriptParseError('missing WEBVTT header', 1);
  }
  return all
    .filter((b) => !/^(NOTE|STYLE|REGION)(?:\s|$)/.test(b.lines[0]!))
    .map(({ lines, firstLine }) => {
      const at = lines[0]!.includes('-->') ? 0 : 1;
      const times = timing(lines[at], firstLine + at);
      return {
        ...times,
        ...cueText(
          lines
            .slice(at + 1)
            .map((l) => l.trim())
            .join(' '),
        ),
      };
    });
}
