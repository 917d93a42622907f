import { TranscriptParseError } from './segment';

const CI_TIME = /^(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/;

/**
 * Parses a CI `Result` time: `m:s.mmm` (e.g. `1:0.640` = 60 640 ms) or `h:m:s.mmm`. Fractions are rounded to whole
 * milliseconds. Throws {@link TranscriptParseError} on anything else.
 */
export function parseCiTimestamp(text: string, line?: number): number {
  const m = CI_TIME.exec(text.trim());
  if (!m) throw new TranscriptParseError(`not a [m:s.mmm] time: ${JSON.stringify(text.slice(0, 30))}`, line);
  const hours = m[1] === undefined ? 0 : Number(m[1]);
  const ms = ((hours * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
  if (!Number.isSafeInteger(Math.round(ms))) throw new TranscriptParseError(`time out of range: ${text}`, line);
  return Math.round(ms);
}

/** Formats ms as CI does in `Result`: minutes, then seconds with three decimals (`1:0.640`). */
export function formatCiTimestamp(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const rest = ms - minutes * 60_000;
  return `${minutes}:${Math.floor(rest / 1000)}.${String(rest % 1000).padStart(3, '0')}`;
}

/** Formats ms as a subtitle time, `HH:MM:SS<sep>mmm` (`,` for SRT, `.` for WebVTT). */
export function formatSubtitleTime(ms: number, separator: ',' | '.'): string {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

const SUBTITLE_TIME = /^(?:(\d+):)?([0-5]?\d):([0-5]?\d)[,.](\d{1,3})$/;

/** Parses an SRT (`00:01:02,345`) or WebVTT (`01:02.345`, `00:01:02.345`) time into ms. */
export function parseSubtitleTime(text: string, line?: number): number {
  const m = SUBTITLE_TIME.exec(text.trim());
  if (!m) throw new TranscriptParseError(`not a subtitle time: ${JSON.stringify(text.slice(0, 30))}`, line);
  const hours = m[1] === undefined ? 0 : Number(m[1]);
  const ms = Number(m[4]!.padEnd(3, '0'));
  const total = ((hours * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + ms;
  if (!Number.isSafeInteger(total)) throw new TranscriptParseError(`time out of range: ${text}`, line);
  return total;
}
