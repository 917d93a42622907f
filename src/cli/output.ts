import type { BatchProgress } from '../workflows/transcribe-batch/types';
import type { TranscriptionStatus } from '../workflows/messages';
import type { CliStream } from './context';

/** Writes `value` as one line of JSON (Dates become ISO strings). */
export function writeJson(stream: CliStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One line describing a `transcribeMedia` status: phase, CI job, its state, polls and callbacks. */
export function formatStatus(status: TranscriptionStatus): string {
  const parts = [`phase=${status.phase}`];
  if (status.jobId !== undefined) parts.push(`job=${status.jobId}`);
  if (status.jobState !== undefined) parts.push(`state=${status.jobState}`);
  parts.push(`polls=${status.polls}`, `callbacks=${status.callbacksReceived}`);
  if (status.completedBy !== undefined) parts.push(`completedBy=${status.completedBy}`);
  if (status.lastError !== undefined) parts.push(`lastError=${JSON.stringify(status.lastError)}`);
  return parts.join(' ');
}

/** A text progress bar with counts, e.g. `[######--------------] 3/10 ok=2 failed=1 running=4`. */
export function formatProgress(progress: BatchProgress, width = 20): string {
  const done = progress.succeeded + progress.failed;
  const total = Math.max(progress.total, done);
  const filled = total === 0 ? 0 : Math.round((width * done) / total);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const of = progress.listingComplete ? `${total}` : `${total}+`;
  return `${bar} ${done}/${of} ok=${progress.succeeded} failed=${progress.failed} running=${progress.running}`;
}

/**
 * A status line that redraws itself in place on a terminal and, elsewhere (pipes, CI logs), prints one plain line
 * per change so logs stay readable.
 */
export class LiveLine {
  private last: string | undefined;

  constructor(private readonly stream: CliStream) {}

  /** Shows `text` unless it is what is already shown. */
  update(text: string): void {
    if (text === this.last) return;
    this.last = text;
    this.stream.write(this.stream.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);
  }

  /** Ends the in-place line so later output starts on a fresh line. */
  finish(): void {
    if (this.stream.isTTY && this.last !== undefined) this.stream.write('\n');
  }
}

/** Left-aligned columns with a header row; cells are single-line. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

/** `key  value` lines with aligned values, skipping undefined values. */
export function formatFields(fields: readonly (readonly [string, string | number | undefined])[]): string {
  const present = fields.filter((f): f is readonly [string, string | number] => f[1] !== undefined);
  const width = Math.max(0, ...present.map(([k]) => k.length));
  return present.map(([k, v]) => `${k.padEnd(width)}  ${v}\n`).join('');
}
