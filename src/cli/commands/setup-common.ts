/** What the CI setup commands share: the bucket they manage, their client, input checks and local files. */
import { readFile } from 'node:fs/promises';
import { CiValidationError } from '../../ci/errors';
import type { CiSetupClient } from '../../ci/setup';
import { validateId } from '../../ci/setup/validate';
import { isBucketName } from '../../config/tencent-settings';
import type { Flags } from '../args';
import { problemsError, regionFlag } from '../args';
import type { CliContext } from '../context';
import { writeJson } from '../output';
import { PreflightError, tencentClientsFor } from '../preflight';

/** The bucket a setup command manages: --bucket / --region, else the configured CI_BUCKET / CI_REGION. */
export interface SetupTarget {
  bucket?: string;
  region?: string;
}

/** Fields every setup command line has. */
export interface SetupCommandBase {
  target: SetupTarget;
  json: boolean;
}

/** --bucket (checked for the `name-appid` form), --region and --json. */
export function setupBase(flags: Flags): SetupCommandBase {
  const bucket = flags.string('bucket');
  if (bucket !== undefined && !isBucketName(bucket)) {
    throw flags.error(`--bucket: bucket '${bucket}' must look like name-appid, e.g. media-1250000000.`);
  }
  const region = regionFlag(flags);
  return {
    target: { ...(bucket !== undefined ? { bucket } : {}), ...(region !== undefined ? { region } : {}) },
    json: flags.bool('json'),
  };
}

/** The setup client of the command's bucket; a `ConfigError` (exit 2) when the Tencent settings are incomplete. */
export function setupClient(ctx: CliContext, target: SetupTarget): CiSetupClient {
  const clients = tencentClientsFor(ctx, 'setup commands call CI')!;
  if (target.bucket === undefined && target.region === undefined) return clients.setup;
  return clients.setupFor({
    bucket: target.bucket ?? clients.setup.bucket,
    region: target.region ?? clients.setup.region,
  });
}

/**
 * Runs one of the setup client's own input checks on a command line's values, so a value CI would refuse is a usage
 * error (exit 2) before anything is sent, worded as the client words it.
 */
export function checkedBy(flags: Flags, what: string, check: () => void): void {
  try {
    check();
  } catch (err) {
    if (!(err instanceof CiValidationError)) throw err;
    throw problemsError(
      flags,
      what,
      err.issues.map((i) => `${i.path} ${i.message}`),
    );
  }
}

/** A CI id argument (it goes into the URL path), checked as the client checks it. */
export function idArgument(flags: Flags, id: string | undefined, what: string): string | undefined {
  if (id !== undefined) checkedBy(flags, what, () => validateId(id, what));
  return id;
}

/** A local file's text; a missing or unreadable file is a {@link PreflightError} (exit 2), nothing sent. */
export async function readLocalText(path: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const reason = typeof code === 'string' ? code : 'error';
    throw new PreflightError(`${flag}: cannot read ${path} (${reason}). Nothing was sent.`, {
      cause: err,
    });
  }
}

/** `templates delete` / `vocab delete`: one id of one kind of CI resource. */
export interface DeleteCommand<K extends string> extends SetupCommandBase {
  kind: K;
  id: string;
}

/** Parses `<group> delete <id>`. */
export function parseDelete<K extends string>(kind: K, id: string, flags: Flags, what: string): DeleteCommand<K> {
  return { kind, id: idArgument(flags, id, what)!, ...setupBase(flags) };
}

/** Runs a delete and reports it: `Deleted <what> <id>` or `{"deleted": ...}`. CI's refusal is a `CiError` (exit 1). */
export async function runDelete(
  cmd: DeleteCommand<string>,
  ctx: CliContext,
  what: string,
  remove: (client: CiSetupClient, id: string) => Promise<void>,
): Promise<number> {
  const client = setupClient(ctx, cmd.target);
  await remove(client, cmd.id);
  if (cmd.json) writeJson(ctx.stdout, { deleted: cmd.id, bucket: client.bucket, region: client.region });
  else ctx.stdout.write(`Deleted ${what} ${cmd.id} in ${client.bucket} (${client.region}).\n`);
  return 0;
}
