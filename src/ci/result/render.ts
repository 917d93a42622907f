import { oneLine } from './result-text';
import type { TranscriptSegment } from './segment';
import { formatSubtitleTime } from './timecode';

/** Options of {@link renderPlainText}. */
export interface PlainTextOptions {
  /** Prefix lines with `Speaker <id>: ` when the segment has a speaker; default false. */
  speakers?: boolean;
}

/** One line per segment, text only (line breaks inside a segment become spaces), `\n`-terminated. */
export function renderPlainText(segments: readonly TranscriptSegment[], options: PlainTextOptions = {}): string {
  const lines = segments.map((s) => {
    const prefix = options.speakers && s.speakerId !== undefined ? `Speaker ${s.speakerId}: ` : '';
    return prefix + oneLine(s.text);
  });
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** SubRip: numbered cues `HH:MM:SS,mmm --> HH:MM:SS,mmm`, one text line each, blank-line separated. */
export function renderSrt(segments: readonly TranscriptSegment[]): string {
  return segments
    .map((s, i) => {
      const times = `${formatSubtitleTime(s.startMs, ',')} --> ${formatSubtitleTime(s.endMs, ',')}`;
      return `${i + 1}\n${times}\n${oneLine(s.text)}\n`;
    })
    .join('\n');
}

/** Escapes cue text for WebVTT (`&`, `<`, `>`; this also keeps `-->` out of cue text). */
export function escapeVtt(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** WebVTT with a `WEBVTT` header; a segment's speaker becomes a voice span `<v Speaker N>`. */
export function renderVtt(segments: readonly TranscriptSegment[]): string {
  const cues = segments.map((s) => {
    const times = `${formatSubtitleTime(s.startMs, '.')} --> ${formatSubtitleTime(s.endMs, '.')}`;
    const voice = s.speakerId === undefined ? '' : `<v Speaker ${s.speakerId}>`;
    return `${times}\n${voice}${escapeVtt(oneLine(s.text))}\n`;
  });
  return ['WEBVTT\n', ...cues].join('\n');
}
