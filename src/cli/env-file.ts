import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Env } from '../config/reader';
import { ConfigError } from '../config/reader';

/** Where `npm run dev` writes the settings of the local stack, relative to the project folder. */
export const DEV_ENV_FILE = join('.dev', 'cli.env');

/** Variable naming another settings file to read instead of the nearest `.dev/cli.env`. */
export const ENV_FILE_VARIABLE = 'TRANSCRIBE_ASR_ENV_FILE';

/**
 * `KEY=value` lines (blank lines and `#` comments skipped; values may be wrapped in single or double quotes).
 * Throws a `ConfigError` naming the file and line of anything else, so a hand-edited file fails loudly.
 */
export function parseEnvFile(text: string, path: string): Record<string, string> {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) return void problems.push(`${path}:${i + 1}: expected KEY=value`);
    const [, key, value] = match as unknown as [string, string, string];
    values[key] = /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value;
  });
  if (problems.length > 0) throw new ConfigError('settings file', problems);
  return values;
}

/** The nearest `.dev/cli.env` in `cwd` or a parent folder, or undefined. */
export function findDevEnvFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, DEV_ENV_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The environment the CLI runs with: `env` over the settings file (`$TRANSCRIBE_ASR_ENV_FILE`, else the nearest
 * `.dev/cli.env` written by `npm run dev`). Flags override both. The file is optional unless named explicitly.
 */
export function withEnvFile(env: Env, cwd: string): { env: Env; file?: string } {
  const named = env[ENV_FILE_VARIABLE]?.trim();
  const file = named ? resolve(cwd, named) : findDevEnvFile(cwd);
  if (file === undefined) return { env };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('settings file', [`${named ? ENV_FILE_VARIABLE : 'settings file'} ${file}: ${reason}`]);
  }
  const fromFile = parseEnvFile(text, file);
  const merged: Record<string, string | undefined> = { ...fromFile };
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[key] = value;
  return { env: merged, file };
}
