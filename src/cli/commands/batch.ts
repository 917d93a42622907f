import { startBatch } from '../../client/batch';
import type { TranscribeBatchInput, TranscribeBatchResult } from '../../workflows/transcribe-batch/types';
import { batchInputProblems } from '../../workflows/transcribe-batch/validate';
import type { Flags } from '../args';
import { itemOptions, mediaSource, problemsError, recognitionFrom, regionFlag } from '../args';
import type { CliContext } from '../context';
import { failedItemLines, readFailedItems } from '../batch-failures';
import { formatFields, formatProgress, startAndFollow, writeJson } from '../output';
import { checkMediaExists } from '../preflight';

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
  if (keys === undefined && prefix === undefined) {
    throw flags.error(
      `'batch' needs what to transcribe: a <prefix> (every object under it, e.g. podcasts/) or --keys <k1,k2,...>.`,
    );
  }
  if (keys !== undefined && prefix !== undefined) throw flags.error('Give either a <prefix> or --keys, not both.');
  const { bucket } = mediaSource(prefix ?? keys?.[0] ?? '', flags);
  const template = flags.string('output-template');
  const maxInFlight = flags.integer('max-in-flight', 1, 100);
  const region = regionFlag(flags);
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
 * `batch`: checks that explicit `--keys` exist, starts `transcribeBatch`; with `--wait`, draws a progress bar from the
 * progress query and prints the counts, the manifest location and each failed item with its reason. Exit code 1 when
 * any item failed.
 */
export async function runBatch(cmd: BatchCommand, ctx: CliContext): Promise<number> {
  const { source, bucket, region } = cmd.input;
  if ('keys' in source) await checkMediaExists(ctx, { bucket, region, keys: source.keys });
  const options = { taskQueue: ctx.taskQueue, workflowId: cmd.workflowId };
  const { started, result } = await startAndFollow(ctx, cmd, (client) => startBatch(client, cmd.input, options), {
    probe: (handle) => handle.status(),
    render: formatProgress,
  });
  if (result === undefined) return 0;
  const failures = await readFailedItems(ctx, result);
  if (cmd.json)
    writeJson(ctx.stdout, { ...started, result, ...(failures.items ? { failedItems: failures.items } : {}) });
  else ctx.stdout.write(formatBatchResult(result) + failedItemLines(failures));
  return result.failed > 0 ? 1 : 0;
}

/** The counts and the manifest of a finished batch, as `key  value` lines. */
export function formatBatchResult(result: TranscribeBatchResult): string {
  return formatFields([
    ['Items', result.total],
    ['Succeeded', result.succeeded],
    ['Failed', result.failed],
    ['Manifest', result.manifestObject.uri],
  ]);
}
