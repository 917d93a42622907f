import { startBatch } from '../../client/batch';
import type { CliContext } from '../context';
import { formatFields, formatProgress, writeJson } from '../output';
import type { CliCommand } from '../parse';
import { printStarted, watchStarted } from './started';

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
    printStarted(ctx, started, cmd.json);
    return 0;
  }
  const result = await watchStarted(ctx, started, cmd.json, {
    result: handle.result(),
    probe: () => handle.progress(),
    render: (p) => formatProgress(p),
  });
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
