/**
 * Checks the CLI runs before it starts a workflow, so a mistake it can see costs nothing: no workflow, no CI job.
 * The pure checks (bucket and URI forms) are in args.ts; these need the Tencent settings or the network.
 */
import type { TencentClients } from '../tencent/clients';
import { ConfigError } from '../config/reader';
import { cosUri } from '../cos/ref';
import { TencentCiAsrError } from '../shared/errors';
import type { CliContext } from './context';
import { CLI_NAME, shellQuote } from './cli-name';

/** Something checked before the start is wrong (e.g. the media object does not exist). Exit code 2. */
export class PreflightError extends TencentCiAsrError {
  override readonly name = 'PreflightError';
}

/** Milliseconds one HEAD of a media object may take before the check is skipped. */
const HEAD_TIMEOUT_MS = 10_000;

/** Objects checked by HEAD at most; a longer `--keys` list is left to the workflow. */
const MAX_CHECKED_OBJECTS = 100;

/**
 * The Tencent clients, or undefined when the settings are incomplete. When `neededFor` is given they are required:
 * their `ConfigError` is rethrown naming what needs them.
 */
export function tencentClientsFor(ctx: CliContext, neededFor?: string): TencentClients | undefined {
  try {
    return ctx.tencent();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    if (neededFor === undefined) return undefined;
    throw new ConfigError(`Tencent Cloud (${neededFor})`, err.problems);
  }
}

/**
 * HEADs each media object where the CLI has credentials; refuses with a {@link PreflightError} when any is missing.
 * Any other answer (no permission, network trouble) skips the check with a note: the worker may see more than the CLI.
 */
export async function checkMediaExists(
  ctx: CliContext,
  target: { bucket?: string; region?: string; keys: readonly string[] },
  clients = tencentClientsFor(ctx),
): Promise<void> {
  if (clients === undefined || target.keys.length > MAX_CHECKED_OBJECTS) return;
  const Bucket = target.bucket ?? clients.ci.bucket;
  const Region = target.region ?? clients.ci.region;
  const missing: string[] = [];
  for (const Key of target.keys) {
    try {
      const head = await clients.objects.head(
        { Bucket, Region, Key },
        { signal: AbortSignal.timeout(HEAD_TIMEOUT_MS) },
      );
      if (head === undefined) missing.push(cosUri({ Bucket, Key }));
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const reason = typeof code === 'string' ? code : err instanceof Error ? err.name : 'error';
      const endpoint = ctx.ciEndpoint?.();
      const at = endpoint === undefined ? '' : ` at ${endpoint}`;
      ctx.stderr.write(`note: could not check that ${cosUri({ Bucket, Key })} exists (${reason}${at}); going on.\n`);
      return;
    }
  }
  if (missing.length === 0) return;
  const example = target.keys.length === 1 ? ` (${CLI_NAME} upload <file> ${shellQuote(target.keys[0]!)})` : '';
  throw new PreflightError(
    `No such object: ${missing.join(', ')}. Upload it first${example}, or check the key, --bucket and --region. Nothing was started.`,
  );
}
