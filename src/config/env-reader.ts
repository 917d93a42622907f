/** Thrown when configuration is missing or invalid; lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    what: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid ${what} configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads environment variables and collects problems instead of throwing on the first, so a user fixes their whole
 * configuration in one go. Values are never echoed for variables that hold secrets.
 */
export class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Record<string, string | undefined>) {}

  /** A trimmed value, or `undefined` when unset or blank. */
  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  /** A required value; records a problem (without the value) when missing. */
  required(name: string, meaning: string): string {
    const value = this.optional(name);
    if (value === undefined) this.problems.push(`${name} is required (${meaning})`);
    return value ?? '';
  }

  /** An integer within bounds, or the fallback when unset. */
  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
      return fallback;
    }
    return value;
  }

  /** An http(s) URL without a trailing slash, or `undefined`. */
  url(name: string): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (url.protocol === 'http:' || url.protocol === 'https:') return raw.replace(/\/+$/, '');
    } catch {
      // Reported below.
    }
    this.problems.push(`${name} must be an http(s) URL (got ${JSON.stringify(raw)})`);
    return undefined;
  }

  /** One of the allowed values, or the fallback when unset. */
  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')} (got ${JSON.stringify(raw)})`);
    return fallback;
  }

  /** Throws a {@link ConfigError} if anything was wrong. */
  throwIfProblems(what: string): void {
    if (this.problems.length > 0) throw new ConfigError(what, this.problems);
  }
}
