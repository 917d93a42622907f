import { startTranscription } from '../../client/transcription';
import type { CliContext } from '../context';
import { formatFields, formatStatus, writeJson } from '../output';
import type { CliCommand } from '../parse';
import { printStarted, watchStarted } from './started';
import { loadTranscript, renderTranscript } from '../transcript';

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
    printStarted(ctx, started, cmd.json);
    return 0;
  }
  const result = await watchStarted(ctx, started, cmd.json, {
    result: handle.result(),
    probe: () => handle.status(),
    render: formatStatus,
  });
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
