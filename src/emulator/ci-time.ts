/** CI reports times in China Standard Time (UTC+8, no DST), e.g. `2022-09-02T10:25:38+0800`. */
const OFFSET_MS = 8 * 3600 * 1000;

/** Formats epoch milliseconds as CI does: `YYYY-MM-DDTHH:mm:ss+0800`. */
export function formatCiTime(epochMs: number): string {
  return `${new Date(epochMs + OFFSET_MS).toISOString().slice(0, 19)}+0800`;
}

/** `-`, as CI shows a StartTime or EndTime that has not happened yet, or the formatted time. */
export function formatOptionalCiTime(epochMs: number | undefined): string {
  return epochMs === undefined ? '-' : formatCiTime(epochMs);
}

const CI_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):?(\d{2})$/;

/** Parses `YYYY-MM-DDTHH:mm:ss±hhmm` (also `±hh:mm`) to epoch ms; `undefined` when malformed. */
export function parseCiTime(text: string): number | undefined {
  const m = CI_TIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, sign, oh, om] = m.map((part, i) => (i === 7 ? part : Number(part))) as [
    unknown,
    number,
    number,
    number,
    number,
    number,
    number,
    string,
    number,
    number,
  ];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const probe = new Date(utc);
  if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  const offset = (oh * 60 + om) * 60_000 * (sign === '+' ? 1 : -1);
  return utc - offset;
}

/** An HTTP `Date`/`Last-Modified` header value. */
export function httpDate(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}
