import type { CliContext } from '../context';
import { formatFields, LiveLine, writeJson } from '../output';
import { DEFAULT_REFRESH_MS, watchUntilSettled } from '../watch';

/** Where a workflow a command started runs. */
export interface StartedWorkflow {
  workflowId: string;
  runId?: string;
  taskQueue: string;
}

/** Reports a started workflow to a command that does not wait: JSON, or a short field list. */
export function printStarted(ctx: CliContext, started: StartedWorkflow, json: boolean): void {
  if (json) writeJson(ctx.stdout, started);
  else
    ctx.stdout.write(
      formatFields([
        ['Started', started.workflowId],
        ['Task queue', started.taskQueue],
      ]),
    );
}

/**
 * Waits for `result`, redrawing a live line from `probe` meanwhile. Live status is progress, not output: it goes to
 * stderr so stdout stays the result (or JSON) alone; with `--json` on a non-terminal stderr there is no live line.
 */
export async function watchStarted<T, S>(
  ctx: CliContext,
  started: StartedWorkflow,
  json: boolean,
  watch: { result: Promise<T>; probe: () => Promise<S>; render: (report: S) => string },
): Promise<T> {
  ctx.stderr.write(`Started ${started.workflowId} on task queue ${started.taskQueue}\n`);
  const line = json && !ctx.stderr.isTTY ? undefined : new LiveLine(ctx.stderr);
  return await watchUntilSettled(watch.result, watch.probe, watch.render, line, ctx.refreshMs ?? DEFAULT_REFRESH_MS);
}
