import type { CiValidationIssue } from './errors';

/** Collects issues while walking an input; `path` prefixes every field name. */
export class IssueList {
  readonly issues: CiValidationIssue[] = [];

  /** Records a problem with the field at `path`. */
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** Records a problem unless `ok`. */
  check(ok: boolean, path: string, message: string): void {
    if (!ok) this.add(path, message);
  }

  /** Checks that an optional field, when present, is one of `allowed`. */
  oneOf(value: unknown, allowed: readonly unknown[], path: string): void {
    if (value !== undefined && !allowed.includes(value)) {
      this.add(path, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; got ${show(value)}`);
    }
  }

  /** Checks that a required field is a non-empty string. */
  requiredString(value: unknown, path: string): void {
    if (typeof value !== 'string' || value.trim() === '') this.add(path, `is required (non-empty string)`);
  }

  /** Checks that an optional field, when present, is a non-empty string. */
  optionalString(value: unknown, path: string): void {
    if (value !== undefined) this.requiredString(value, path);
  }
}

/** Plain object test that also narrows for property access. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Short rendering of a bad value for messages (never long, never multi-line). */
export function show(value: unknown): string {
  const text = value instanceof Date ? value.toString() : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Whether `value` is an http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Whether `value` is a `Date` holding a real time. */
export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
