/**
 * Whether bytes start like audio or video CI could decode. CI fails a job whose input is not media (issue 24); the
 * emulator, which decodes nothing, recognises the containers by their leading bytes: WAV/AVI (RIFF), MP3 (ID3 tag or
 * an MPEG audio frame sync), AAC (ADTS), FLAC, Ogg/Opus, AMR, MP4/M4A/MOV/3GP (`ftyp`), Matroska/WebM, ASF/WMA/WMV,
 * FLV, MPEG program/transport streams. Anything else (text, JSON, an image, zeros) is not media.
 */
export function looksLikeMedia(bytes: Buffer): boolean {
  const ascii = (start: number, end: number): string => bytes.toString('latin1', start, end);
  if (bytes.length < 4) return false;
  if (ascii(0, 4) === 'RIFF') return ['WAVE', 'AVI '].includes(ascii(8, 12));
  if (['fLaC', 'OggS', 'FLV\u0001', '#!AM'].includes(ascii(0, 4))) return true;
  if (ascii(0, 3) === 'ID3') return true;
  if (ascii(4, 8) === 'ftyp') return true;
  const b0 = bytes[0]!;
  const b1 = bytes[1]!;
  // EBML (Matroska/WebM), ASF (WMA/WMV), MPEG-PS pack header.
  if (b0 === 0x1a && b1 === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return true;
  if (b0 === 0x30 && b1 === 0x26 && bytes[2] === 0xb2 && bytes[3] === 0x75) return true;
  if (b0 === 0x00 && b1 === 0x00 && bytes[2] === 0x01 && bytes[3] === 0xba) return true;
  // MPEG-TS: sync byte every 188 bytes.
  if (b0 === 0x47 && bytes.length >= 189 && bytes[188] === 0x47) return true;
  if (b0 !== 0xff || bytes.length < 3) return false;
  // ADTS (AAC): 12 sync bits, layer 00.
  if ((b1 & 0xf6) === 0xf0) return true;
  // MPEG audio frame (MP3 without a tag): 11 sync bits, a version and layer that exist, a valid bit-rate index.
  const version = (b1 >> 3) & 0x03;
  const layer = (b1 >> 1) & 0x03;
  return (b1 & 0xe0) === 0xe0 && version !== 1 && layer !== 0 && bytes[2]! >> 4 !== 0x0f;
}
