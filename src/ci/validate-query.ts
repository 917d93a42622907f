import { CiValidationError } from './errors';
import { CI_JOB_STATES } from './job-state';
import type { ListAsrJobsFilter } from './list-filter';
import { IssueList, isRecord, isValidDate, show } from './validate-rules';

/** Largest page `GET /asr_jobs` returns. */
export const MAX_LIST_SIZE = 100;

/** Throws a {@link CiValidationError} unless `filter` is a valid list filter. */
export function validateListFilter(filter: ListAsrJobsFilter): void {
  const out = new IssueList();
  const f: unknown = filter;
  if (!isRecord(f))
    throw new CiValidationError('ASR job list filter', [{ path: 'filter', message: 'must be an object' }]);
  const size = f.size;
  const sizeOk =
    size === undefined || (Number.isInteger(size) && (size as number) >= 1 && (size as number) <= MAX_LIST_SIZE);
  out.check(sizeOk, 'size', `must be an integer 1–${MAX_LIST_SIZE}; got ${show(size)}`);
  if (f.states !== undefined) {
    const states = f.states;
    const ok = Array.isArray(states) && states.length > 0;
    out.check(ok, 'states', 'must be a non-empty array');
    if (ok) states.forEach((s, i) => out.oneOf(s, ['All', ...CI_JOB_STATES], `states[${i}]`));
  }
  for (const key of ['startCreationTime', 'endCreationTime'] as const) {
    if (f[key] !== undefined) out.check(isValidDate(f[key]), key, `must be a valid Date; got ${show(f[key])}`);
  }
  if (isValidDate(f.startCreationTime) && isValidDate(f.endCreationTime)) {
    out.check(f.startCreationTime <= f.endCreationTime, 'endCreationTime', 'must not be before startCreationTime');
  }
  out.oneOf(f.orderByTime, ['Asc', 'Desc'], 'orderByTime');
  out.optionalString(f.queueId, 'queueId');
  out.optionalString(f.nextToken, 'nextToken');
  if (out.issues.length > 0) throw new CiValidationError('ASR job list filter', out.issues);
}

function jobIdIssue(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') return 'must be a non-empty string';
  if (/[,/?#\s]/.test(id)) return `must not contain commas, slashes, '?', '#' or spaces; got ${show(id)}`;
  return undefined;
}

/** Throws a {@link CiValidationError} unless every id is usable in a `/asr_jobs/<id>[,<id>]` path. */
export function validateJobIds(ids: readonly string[]): void {
  const raw: unknown = ids;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new CiValidationError('job ids', [{ path: 'ids', message: 'must be a non-empty array' }]);
  }
  const issues = raw.flatMap((id, i) => {
    const message = jobIdIssue(id);
    return message === undefined ? [] : [{ path: `ids[${i}]`, message }];
  });
  if (issues.length > 0) throw new CiValidationError('job ids', issues);
}
