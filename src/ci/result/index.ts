/** Transcript segments from CI results, and their text, SRT and WebVTT forms. */
export { segmentsFromResult, segmentsFromSentences } from './detail';
export { parseSrt, parseVtt } from './parse-subtitles';
export { escapeVtt, renderPlainText, renderSrt, renderVtt } from './render';
export type { PlainTextOptions } from './render';
export { parseResultText, renderResultText } from './result-text';
export type { InvalidLinePolicy, ParseResultTextOptions } from './result-text';
export { TranscriptParseError } from './segment';
export type { TranscriptSegment, TranscriptWord } from './segment';
export { formatCiTimestamp, formatSubtitleTime, parseCiTimestamp, parseSubtitleTime } from './timecode';
