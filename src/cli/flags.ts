import { UsageError } from './errors';
import type { FlagValues } from './args';

/** Typed access to one command's flag values; every bad value is a {@link UsageError} naming the flag. */
export class Flags {
  constructor(
    private readonly values: FlagValues,
    private readonly command: string,
  ) {}

  /** A string flag, or undefined when absent. */
  string(name: string): string | undefined {
    const value = this.values[name];
    if (typeof value !== 'string') return undefined;
    if (value.trim() === '') throw this.error(`--${name} must not be empty.`);
    return value;
  }

  /** A boolean flag. */
  bool(name: string): boolean {
    return this.values[name] === true;
  }

  /** One of `allowed` (case-insensitive), returned in its canonical spelling. */
  choice<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const match = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
    if (match === undefined) throw this.error(`--${name} must be one of ${allowed.join(', ')} (got '${raw}').`);
    return match;
  }

  /** A whole number within bounds. */
  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
      throw this.error(`--${name} must be a whole number from ${min} to ${max} (got '${raw}').`);
    }
    return value;
  }

  /** An ISO 8601 date-time. */
  date(name: string): Date | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const date = new Date(raw);
    if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(date.getTime())) {
      throw this.error(`--${name} must be an ISO 8601 time such as 2026-11-24T08:00:00Z (got '${raw}').`);
    }
    return date;
  }

  /** A comma-separated list without empty entries. */
  list(name: string): string[] | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw this.error(`--${name} must be a comma-separated list without blanks.`);
    return items;
  }

  /** A usage error pointing at this command's help. */
  error(message: string): UsageError {
    return new UsageError(message, this.command);
  }
}
