import { startBatch } from '../../client/batch';
import type { CliContext } from '../context';
import { formatFields, formatProgress, LiveLine, writeJson } from '../output';
import type { CliCommand } from '../parse';
import { DEFAULT_REFRESH_MS, watchUntilSettled } from '../watch';

type BatchCommand = Extract<CliCommand, { kind: 'batch' }>;

/**
 * `batch`: starts `transcribeBatch`; with `--wait`, draws a progress bar from the progress query and prints the
 * counts and the manifest location. Exit code 1 when any item failed (the manifest says which).
 */
export async function runBatch(cmd: BatchCommand, ctx: CliContext): Promise<number> {
  const client = await ctx.temporal();
  const handle = await startBatch(client, cmd.input, { taskQueue: ctx.taskQueue, workflowId: cmd.workflowId });
  const started = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, taskQueue: ctx.taskQueue };
  if (!cmd.wait) {
    if (cmd.json) writeJson(ctx.stdout, started);
    else
      ctx.stdout.write(
        formatFields([
          ['Started', handle.workflowId],
          ['Task queue', ctx.taskQueue],
        ]),
      );
    return 0;
  }
  ctx.stderr.write(`Started ${handle.workflowId} on task queue ${ctx.taskQueue}\n`);
  const line = cmd.json && !ctx.stderr.isTTY ? undefined : new LiveLine(ctx.stderr);
  const result = await watchUntilSettled(
    handle.result(),
    () => handle.progress(),
    (p) => formatProgress(p),
    line,
    ctx.refreshMs ?? DEFAULT_REFRESH_MS,
  );
  if (cmd.json) writeJson(ctx.stdout, { ...started, result });
  else {
    ctx.stdout.write(
      formatFields([
        ['Items', result.total],
        ['Succeeded', result.succeeded],
        ['Failed', result.failed],
        ['Manifest', result.manifestObject.uri],
      ]),
    );
  }
  return result.failed > 0 ? 1 : 0;
}
