import { CiResponseError } from './errors';

/** CI's time zone (UTC+8) in minutes; CI writes and reads times as `2022-09-02T10:25:38+0800`. */
const CI_OFFSET_MINUTES = 8 * 60;

const CI_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Formats `date` the way CI's list filters expect (`%Y-%m-%dT%H:%M:%S%z` in UTC+8), e.g. `2022-09-02T10:25:38+0800`. */
export function formatCiTime(date: Date): string {
  const t = new Date(date.getTime() + CI_OFFSET_MINUTES * 60_000);
  const day = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  return `${day}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}+0800`;
}

/**
 * Parses a CI time (`2022-09-14T22:36:51+0800`; also `+08:00`, `Z` and fractions). `-` and `''` mean "not yet" and
 * give `undefined`; anything else unreadable throws a {@link CiResponseError}.
 */
export function parseCiTime(value: string | undefined, field: string): Date | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === '' || text === '-') return undefined;
  const m = CI_TIME.exec(text);
  if (!m) throw new CiResponseError(`${field} is not a CI time: ${JSON.stringify(text.slice(0, 40))}`);
  const zone = m[8] === 'Z' ? 'Z' : `${m[8]!.slice(0, 3)}:${m[8]!.slice(-2)}`;
  const date = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}${zone}`);
  if (Number.isNaN(date.getTime())) throw new CiResponseError(`${field} is not a valid time: ${JSON.stringify(text)}`);
  return date;
}
