import { CiResponseError } from './errors';

/**
 * Readers for what cos-nodejs-sdk-v5's XML parser returns: every leaf is a string, an empty element is `''`, one child
 * element is an object and repeated elements are an array. `null` (Python-style samples) is read as empty.
 */

/** A parsed XML element with children, or an empty record for an empty/missing element. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The element(s) at a repeatable position as an array (`''`, null and undefined give `[]`). */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? (value as unknown[]) : [value];
}

/** A text leaf, or undefined when missing or empty. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A text leaf that must be present. */
export function requiredText(value: unknown, field: string): string {
  const out = text(value);
  if (out === undefined) throw new CiResponseError(`${field} is missing in the CI response`);
  return out;
}

/** A numeric leaf; missing, `''` and `-` give undefined, anything else unreadable throws. */
export function num(value: unknown, field: string): number | undefined {
  const raw = text(value)?.trim();
  if (raw === undefined || raw === '' || raw === '-') return undefined;
  const out = Number(raw);
  if (!Number.isFinite(out)) throw new CiResponseError(`${field} is not a number: ${JSON.stringify(raw.slice(0, 40))}`);
  return out;
}

/** A numeric leaf that must be present. */
export function requiredNum(value: unknown, field: string): number {
  const out = num(value, field);
  if (out === undefined) throw new CiResponseError(`${field} is missing in the CI response`);
  return out;
}

/** A `true`/`false` leaf (also `1`/`0`); missing gives undefined. */
export function bool(value: unknown, field: string): boolean | undefined {
  const raw = text(value)?.trim().toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new CiResponseError(`${field} is not a boolean: ${JSON.stringify(raw.slice(0, 40))}`);
}

/** Copies only the defined entries, so that normalised objects have no `undefined`-valued keys. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
