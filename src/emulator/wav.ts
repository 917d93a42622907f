/** What the header of a RIFF/WAVE file says about its audio. */
export interface WavInfo {
  channels: number;
  sampleRate: number;
  byteRate: number;
  dataBytes: number;
  durationSeconds: number;
}

/** Bytes per second assumed for non-WAV media: 128 kbit/s, a common MP3/AAC bit rate. */
export const ESTIMATED_BYTES_PER_SECOND = 16_000;

/**
 * Reads a WAV header (RIFF, `fmt ` and `data` chunks); `undefined` when `bytes` is not a WAV file. A `data` size past
 * the end of the buffer (streamed WAVs) is clipped to the bytes present.
 */
export function parseWavHeader(bytes: Buffer): WavInfo | undefined {
  if (bytes.length < 12 || bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    return undefined;
  }
  let fmt: { channels: number; sampleRate: number; byteRate: number } | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= bytes.length) {
      fmt = {
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        byteRate: bytes.readUInt32LE(body + 8),
      };
    } else if (id === 'data') {
      if (!fmt || fmt.byteRate === 0) return undefined;
      const dataBytes = Math.min(size, bytes.length - body);
      return { ...fmt, dataBytes, durationSeconds: dataBytes / fmt.byteRate };
    }
    // Chunks are padded to an even length.
    offset = body + size + (size % 2);
  }
  return undefined;
}

/** Audio duration in seconds: from the WAV header when there is one, else estimated from the size. */
export function audioSeconds(bytes: Buffer): number {
  const wav = parseWavHeader(bytes);
  if (wav) return wav.durationSeconds;
  return Math.max(1, bytes.length / ESTIMATED_BYTES_PER_SECOND);
}

/** Builds a PCM WAV file of `seconds` of silence (tests and the demo use it). */
export function silentWav(seconds: number, sampleRate = 16_000, channels = 1): Buffer {
  const blockAlign = channels * 2;
  const dataBytes = Math.round(seconds * sampleRate) * blockAlign;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, Buffer.alloc(dataBytes)]);
}
