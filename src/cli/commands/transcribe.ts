import { startTranscription } from '../../client/transcription';
import type { CliContext } from '../context';
import { formatFields, formatStatus, LiveLine, writeJson } from '../output';
import type { CliCommand } from '../parse';
import { loadTranscript, renderTranscript } from '../transcript';
import { DEFAULT_REFRESH_MS, watchUntilSettled } from '../watch';

type TranscribeCommand = Extract<CliCommand, { kind: 'transcribe' }>;

/**
 * `transcribe`: starts `transcribeMedia`; with `--wait`, shows live status on stderr, then prints where the transcript
 * is and, with `--format`, the transcript itself. Returns the exit code (a failed workflow throws).
 */
export async function runTranscribe(cmd: TranscribeCommand, ctx: CliContext): Promise<number> {
  const client = await ctx.temporal();
  const handle = await startTranscription(client, cmd.input, { taskQueue: ctx.taskQueue, workflowId: cmd.workflowId });
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
  // Live status is progress, not output: it goes to stderr so stdout stays the result (or JSON) alone.
  const line = cmd.json && !ctx.stderr.isTTY ? undefined : new LiveLine(ctx.stderr);
  const result = await watchUntilSettled(
    handle.result(),
    () => handle.status(),
    formatStatus,
    line,
    ctx.refreshMs ?? DEFAULT_REFRESH_MS,
  );
  const transcript =
    cmd.format === undefined ? undefined : renderTranscript(await loadTranscript(result, ctx.tencent()), cmd.format);
  if (cmd.json) {
    writeJson(ctx.stdout, { ...started, result, ...(transcript !== undefined ? { transcript } : {}) });
    return 0;
  }
  ctx.stdout.write(
    formatFields([
      ['Transcript', result.resultObject.uri],
      ['Manifest', result.manifestObject.uri],
      ['CI job', result.jobId],
      ['Audio', `${result.audioTimeSeconds} s, ${result.segments} segments`],
      ['Completed by', result.completedBy],
    ]),
  );
  if (transcript !== undefined) ctx.stdout.write(`\n${transcript}`);
  return 0;
}
