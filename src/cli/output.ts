import type { BatchProgress } from '../workflows/transcribe-batch/types';
import type { TranscriptionStatus } from '../workflows/messages';
import type { Client } from '@temporalio/client';
import type { CliContext, CliStream } from './context';
import { QUERY_TIMEOUT_MS, withDeadline } from './deadline';
import { watchPollers } from './pollers';

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

/** A duration in seconds as `1h02m`, `3m05s` or `42s`. */
function formatEta(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  return m > 0 ? `${m}m${String(s).padStart(2, '0')}s` : `${s}s`;
}

/**
 * A text progress bar with counts, rate, ETA and any quota wait, e.g.
 * `[######--------------] 3/10 ok=2 failed=1 running=4 12.5/min eta 34s waiting: ci-concurrency`.
 */
export function formatProgress(progress: BatchProgress, width = 20): string {
  const done = progress.succeeded + progress.failed;
  const total = Math.max(progress.total, done);
  const filled = total === 0 ? 0 : Math.round((width * done) / total);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const of = progress.listingComplete ? `${total}` : `${total}+`;
  const parts = [`${bar} ${done}/${of} ok=${progress.succeeded} failed=${progress.failed} running=${progress.running}`];
  if (progress.itemsPerMinute !== undefined) parts.push(`${progress.itemsPerMinute}/min`);
  if (progress.etaSeconds !== undefined && done < total) parts.push(`eta ${formatEta(progress.etaSeconds)}`);
  if (progress.waitingForQuota) parts.push(`waiting: ${progress.waitingForQuota}`);
  return parts.join(' ');
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

/** Default milliseconds between status or progress queries while waiting. */
export const DEFAULT_REFRESH_MS = 500;

/**
 * Waits for `done` while showing what `probe` reports every `intervalMs`, then shows the final report once more.
 * A failed probe (e.g. no worker yet to answer the query) is skipped: the wait itself is what matters.
 */
export async function watchUntilSettled<T, S>(
  done: Promise<T>,
  probe: () => Promise<S>,
  render: (report: S) => string,
  line: LiveLine | undefined,
  intervalMs: number,
): Promise<T> {
  let settled = false;
  const finished = done.finally(() => {
    settled = true;
  });
  // The outcome is read from `done` below; this branch only stops the refresh loop.
  finished.catch(() => undefined);
  const show = async (): Promise<void> => {
    const report = await probe().catch(() => undefined);
    if (report !== undefined) line?.update(render(report));
  };
  if (line !== undefined) {
    while (!settled) {
      await show();
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<void>((resolve) => (timer = setTimeout(resolve, intervalMs)));
      await Promise.race([tick, finished.catch(() => undefined)]);
      clearTimeout(timer);
    }
    await show();
    line.finish();
  }
  return await done;
}

/** Where a workflow a command started runs. */
export interface StartedWorkflow {
  workflowId: string;
  runId?: string;
  taskQueue: string;
}

/** A just-started workflow's handle: what {@link startAndFollow} needs of the client helpers' handles. */
export interface StartedHandle<T> {
  readonly workflowId: string;
  readonly firstExecutionRunId?: string;
  result(): Promise<T>;
}

/**
 * Starts a workflow (within the CLI's deadline) and reports it. Without `wait`: JSON or a short field list, and no
 * result. With `wait`: first checks that a worker polls the task queue (warning, and checking again, while none does),
 * then waits for the result, redrawing a live line from `probe` meanwhile. Live status is progress, not output: it
 * goes to stderr so stdout stays the result (or JSON) alone; with `--json` on a non-terminal stderr there is no live
 * line.
 */
export async function startAndFollow<H extends StartedHandle<unknown>, S>(
  ctx: CliContext,
  cmd: { wait: boolean; json: boolean },
  start: (client: Client) => Promise<H>,
  watch: { probe: (handle: H) => Promise<S>; render: (report: S) => string },
): Promise<{ started: StartedWorkflow; result?: Awaited<ReturnType<H['result']>> }> {
  const client = await ctx.temporal();
  const pollers = cmd.wait ? watchPollers(client, ctx.taskQueue, ctx.stderr, ctx.pollerCheckMs) : undefined;
  try {
    await pollers?.first;
    const handle = await withDeadline(client, 'the workflow start', () => start(client));
    const started = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, taskQueue: ctx.taskQueue };
    if (!cmd.wait) {
      if (cmd.json) writeJson(ctx.stdout, started);
      else
        ctx.stdout.write(
          formatFields([
            ['Started', started.workflowId],
            ['Task queue', started.taskQueue],
          ]),
        );
      return { started };
    }
    ctx.stderr.write(`Started ${started.workflowId} on task queue ${started.taskQueue}\n`);
    const line = cmd.json && !ctx.stderr.isTTY ? undefined : new LiveLine(ctx.stderr);
    const refreshMs = ctx.refreshMs ?? DEFAULT_REFRESH_MS;
    const probe = () => withDeadline(client, 'the status query', () => watch.probe(handle), QUERY_TIMEOUT_MS);
    const done = handle.result() as Promise<Awaited<ReturnType<H['result']>>>;
    return { started, result: await watchUntilSettled(done, probe, watch.render, line, refreshMs) };
  } finally {
    pollers?.stop();
  }
}
