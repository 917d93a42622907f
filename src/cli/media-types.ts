import { extname } from 'node:path';

/** Content types of the media (and sidecar) files people upload, by lower-case extension. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  wav: 'audio/wav',
  pcm: 'audio/pcm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  amr: 'audio/amr',
  wma: 'audio/x-ms-wma',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  mkv: 'video/x-matroska',
  webm: 'video/webm',
  avi: 'video/x-msvideo',
  flv: 'video/x-flv',
  '3gp': 'video/3gpp',
  txt: 'text/plain; charset=utf-8',
  srt: 'application/x-subrip',
  vtt: 'text/vtt',
  json: 'application/json',
};

/** The content type of `path` by its extension; `application/octet-stream` when unknown. */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).slice(1).toLowerCase()] ?? 'application/octet-stream';
}
