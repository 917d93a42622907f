import type { AsrBucket, CiSetupClient } from '../../ci/setup';
import type { Flags } from '../args';
import type { CliContext } from '../context';
import { CLI_NAME } from '../help';
import { formatFields, writeJson } from '../output';
import type { SetupCommandBase } from './setup-common';
import { setupBase, setupClient } from './setup-common';

/** A checked `bucket bind` or `bucket status` command line. */
export interface BucketCommand<
  K extends 'bucket-bind' | 'bucket-status' = 'bucket-bind' | 'bucket-status',
> extends SetupCommandBase {
  kind: K;
}

/** Parses `bucket bind` / `bucket status`. */
export function parseBucket<K extends BucketCommand['kind']>(kind: K, flags: Flags): BucketCommand<K> {
  return { kind, ...setupBase(flags) };
}

/** The binding of the client's bucket as the region host lists it, or undefined when it is not bound. */
async function bindingOf(client: CiSetupClient): Promise<AsrBucket | undefined> {
  const page = await client.describeBuckets({ bucketNames: [client.bucket], regions: [client.region] });
  return page.buckets.find((b) => b.bucketId === client.bucket);
}

function report(ctx: CliContext, client: CiSetupClient, binding: AsrBucket | undefined, json: boolean): void {
  const bound = binding !== undefined;
  if (json) {
    writeJson(ctx.stdout, { bucket: client.bucket, region: binding?.region ?? client.region, bound, binding });
    return;
  }
  ctx.stdout.write(
    formatFields([
      ['Bucket', client.bucket],
      ['Bound to ASR', bound ? 'yes' : 'no'],
      ['Region', binding?.region ?? client.region],
      ['Bound since', binding?.createTime],
    ]),
  );
}

/** `bucket status`: whether the bucket is bound (exit 0 either way: it is a report; `doctor` judges). */
export async function runBucketStatus(cmd: BucketCommand, ctx: CliContext): Promise<number> {
  const client = setupClient(ctx, cmd.target);
  const binding = await bindingOf(client);
  report(ctx, client, binding, cmd.json);
  if (binding === undefined && !cmd.json) ctx.stderr.write(`Bind it with: ${CLI_NAME} bucket bind\n`);
  return 0;
}

/**
 * `bucket bind`: `POST /asrbucket`, then the binding as the region host lists it (CI's answer to the bind may not
 * echo it). Binding a bound bucket is CI's to refuse or accept; its error is shown as it is.
 */
export async function runBucketBind(cmd: BucketCommand, ctx: CliContext): Promise<number> {
  const client = setupClient(ctx, cmd.target);
  const echoed = await client.openBucket();
  const binding = (await bindingOf(client)) ?? echoed;
  if (!cmd.json) ctx.stdout.write(`Bound ${client.bucket} (${client.region}) to speech recognition.\n`);
  report(ctx, client, binding, cmd.json);
  return 0;
}
