import { startBatch } from '../../client/batch';
import type { TranscribeBatchInput } from '../../workflows/transcribe-batch/types';
import { batchInputProblems } from '../../workflows/transcribe-batch/validate';
import type { Flags } from '../args';
import { itemOptions, mediaSource, problemsError, recognitionFrom } from '../args';
import type { CliContext } from '../context';
import { followStarted, formatFields, formatProgress, writeJson } from '../output';

/** A checked `batch` command line. */
export interface BatchCommand {
  kind: 'batch';
  input: TranscribeBatchInput;
  workflowId?: string;
  wait: boolean;
  json: boolean;
}

/** Parses `batch [prefix]`'s flags into a checked batch input. */
export function parseBatch(prefix: string | undefined, flags: Flags): BatchCommand {
  const keys = flags.list('keys');
  if ((keys === undefined) === (prefix === undefined)) throw flags.error('Give either a <prefix> or --keys, not both.');
  const { bucket } = mediaSource(prefix ?? keys?.[0] ?? '', flags);
  const template = flags.string('output-template');
  const maxInFlight = flags.integer('max-in-flight', 1, 100);
  const region = flags.string('region');
  const input: TranscribeBatchInput = {
    source: keys !== undefined ? { keys } : { prefix: prefix ?? '' },
    recognition: recognitionFrom(flags),
    ...(bucket !== undefined ? { bucket } : {}),
    ...(region !== undefined ? { region } : {}),
    ...(template !== undefined ? { outputKeyTemplate: template } : {}),
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    ...(flags.bool('fail-fast') ? { failOnItemFailure: true } : {}),
    item: itemOptions(flags),
  };
  const problems = batchInputProblems(input);
  if (problems.length > 0) throw problemsError(flags, 'batch settings', problems);
  return {
    kind: 'batch',
    input,
    workflowId: flags.string('workflow-id'),
    wait: flags.bool('wait'),
    json: flags.bool('json'),
  };
}

/**
 * `batch`: starts `transcribeBatch`; with `--wait`, draws a progress bar from the progress query and prints the
 * counts and the manifest location. Exit code 1 when any item failed (the manifest says which).
 */
export async function runBatch(cmd: BatchCommand, ctx: CliContext): Promise<number> {
  const options = { taskQueue: ctx.taskQueue, workflowId: cmd.workflowId };
  const handle = await startBatch(await ctx.temporal(), cmd.input, options);
  const { started, result } = await followStarted(ctx, cmd, handle, {
    probe: () => handle.progress(),
    render: formatProgress,
  });
  if (result === undefined) return 0;
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
