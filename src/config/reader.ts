import { parseArgs } from 'node:util';
import { TencentCiAsrError } from '../shared/errors';

/** Environment variables as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Thrown by every configuration loader (worker, receiver, emulator, CLI, demo) when settings are missing or invalid.
 * It lists every problem at once; the process entries print it without a stack trace and exit with code 2.
 */
export class ConfigError extends TencentCiAsrError {
  override readonly name = 'ConfigError';

  constructor(
    what: string,
    /** One line per problem, naming the variable or flag; values of secrets are never included. */
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${what} configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** `raw` as a whole number within `[min, max]`, or `undefined` when it is not one. */
export function parseWholeNumber(raw: string, min: number, max: number): number | undefined {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

/** `raw` as an http(s) URL without trailing slashes, or `undefined` when it is not one. */
export function parseHttpUrl(raw: string): string | undefined {
  try {
    const { protocol } = new URL(raw);
    return protocol === 'http:' || protocol === 'https:' ? raw.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}

/** A setting: an environment variable, optionally overridden by a command-line flag (`--port` over `RECEIVER_PORT`). */
export type Setting = string | { flag: string; env?: string };

/** Types of the flags a process accepts; `--help`/`-h` is always accepted (the entries answer it before loading). */
export type FlagTypes = Readonly<Record<string, 'string' | 'boolean'>>;

/**
 * Reads settings from the environment and the command line, collecting problems instead of throwing on the first,
 * so a user fixes their whole configuration in one go. Values of secrets are never echoed.
 */
export class ConfigReader {
  readonly problems: string[] = [];
  private readonly flags: Readonly<Record<string, string | boolean | undefined>>;

  /** `argv` (without `node` and the script) is checked against `flagTypes`; leave it out to read the environment only. */
  constructor(
    readonly env: Env,
    argv?: readonly string[],
    flagTypes: FlagTypes = {},
  ) {
    this.flags = argv === undefined ? {} : this.parseFlags(argv, flagTypes);
  }

  private parseFlags(argv: readonly string[], flagTypes: FlagTypes): Record<string, string | boolean | undefined> {
    const options = Object.fromEntries(Object.entries(flagTypes).map(([name, type]) => [name, { type }]));
    try {
      return parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } } }).values;
    } catch (err) {
      // node:util adds advice on further lines; the first names the flag and what is wrong with it.
      const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      this.problems.push(`command line: ${message}`);
      return {};
    }
  }

  /** Whether a boolean flag was given. */
  flag(name: string): boolean {
    return this.flags[name] === true;
  }

  /** A trimmed value (the flag's when given, else the variable's), or `undefined` when unset or blank. */
  optional(setting: Setting): string | undefined {
    const { flag, env } = typeof setting === 'string' ? { flag: undefined, env: setting } : setting;
    const fromFlag = flag === undefined ? undefined : this.flags[flag];
    const raw = typeof fromFlag === 'string' ? fromFlag : env === undefined ? undefined : this.env[env];
    return raw?.trim() ? raw.trim() : undefined;
  }

  /** A required value; records a problem (without the value) when missing. */
  required(setting: Setting, meaning: string): string {
    const value = this.optional(setting);
    if (value === undefined) this.problems.push(`${describe(setting)} is required (${meaning})`);
    return value ?? '';
  }

  /** A whole number within bounds, or the fallback when unset. */
  integer(setting: Setting, fallback: number, min: number, max: number): number;
  integer(setting: Setting, fallback: undefined, min: number, max: number): number | undefined;
  integer(setting: Setting, fallback: number | undefined, min: number, max: number): number | undefined {
    const raw = this.optional(setting);
    if (raw === undefined) return fallback;
    const value = parseWholeNumber(raw, min, max);
    if (value === undefined) {
      this.problems.push(
        `${this.nameOf(setting)} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)})`,
      );
    }
    return value ?? fallback;
  }

  /** An http(s) URL without a trailing slash, or `undefined`. */
  url(setting: Setting): string | undefined {
    const raw = this.optional(setting);
    if (raw === undefined) return undefined;
    const url = parseHttpUrl(raw);
    if (url === undefined)
      this.problems.push(`${this.nameOf(setting)} must be an http(s) URL (got ${JSON.stringify(raw)})`);
    return url;
  }

  /** One of the allowed values, or the fallback when unset. */
  oneOf<T extends string>(setting: Setting, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(setting);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${this.nameOf(setting)} must be one of ${allowed.join(', ')} (got ${JSON.stringify(raw)})`);
    return fallback;
  }

  /** Throws a {@link ConfigError} naming `what` (e.g. `worker`) if anything was wrong. */
  throwIfProblems(what: string): void {
    if (this.problems.length > 0) throw new ConfigError(what, this.problems);
  }

  /** The flag when it was given, else the variable: the name the user has to fix. */
  private nameOf(setting: Setting): string {
    if (typeof setting === 'string') return setting;
    return typeof this.flags[setting.flag] === 'string' || setting.env === undefined
      ? `--${setting.flag}`
      : setting.env;
  }
}

function describe(setting: Setting): string {
  if (typeof setting === 'string') return setting;
  return setting.env === undefined ? `--${setting.flag}` : `--${setting.flag} (or ${setting.env})`;
}
