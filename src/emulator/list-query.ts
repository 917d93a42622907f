import { parseCiTime } from './ci-time';
import { invalidArgument } from './errors';
import { JOB_STATES } from './job-model';
import type { EmulatedJob } from './job-model';

/** A validated `GET /asr_jobs` query. */
export interface ListQuery {
  queueId?: string;
  states: readonly string[] | 'All';
  order: 'Asc' | 'Desc';
  size: number;
  /** `seq` of the last job of the previous page. */
  after?: number;
  startMs?: number;
  endMs?: number;
}

/** One page of jobs and the token of the next page (`''` when this is the last page). */
export interface ListPage {
  jobs: EmulatedJob[];
  nextToken: string;
}

function parseStates(raw: string | undefined): ListQuery['states'] {
  const states = (raw || 'All').split(',').map((s) => s.trim());
  const unknown = states.filter((s) => s !== 'All' && !(JOB_STATES as readonly string[]).includes(s));
  if (unknown.length > 0) throw invalidArgument(`states contains unknown state(s): ${unknown.join(', ')}.`);
  return states.includes('All') ? 'All' : states;
}

function parseSize(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 10;
  const size = Number(raw);
  if (!/^\d+$/.test(raw) || size < 1 || size > 100) throw invalidArgument(`size must be 1-100; got "${raw}".`);
  return size;
}

function parseTime(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = parseCiTime(raw);
  if (ms === undefined) throw invalidArgument(`${name} must look like 2022-09-02T10:25:38+0800; got "${raw}".`);
  return ms;
}

/** Validates list query parameters (names as CI spells them); throws `InvalidArgument` on the first problem. */
export function parseListQuery(params: ReadonlyMap<string, string>): ListQuery {
  const tag = params.get('tag');
  if (tag !== 'SpeechRecognition') {
    throw invalidArgument(tag ? `tag "${tag}" is not supported; use SpeechRecognition.` : 'tag is required.');
  }
  const order = params.get('orderByTime') || 'Desc';
  if (order !== 'Asc' && order !== 'Desc') throw invalidArgument('orderByTime must be Asc or Desc.');
  const token = params.get('nextToken');
  if (token && !/^\d+$/.test(token)) throw invalidArgument(`nextToken "${token}" is not valid.`);
  return {
    queueId: params.get('queueId') || undefined,
    states: parseStates(params.get('states')),
    order,
    size: parseSize(params.get('size')),
    after: token ? Number(token) : undefined,
    startMs: parseTime(params.get('startCreationTime'), 'startCreationTime'),
    endMs: parseTime(params.get('endCreationTime'), 'endCreationTime'),
  };
}

function matches(job: EmulatedJob, query: ListQuery): boolean {
  if (query.queueId !== undefined && job.queueId !== query.queueId) return false;
  if (query.states !== 'All' && !query.states.includes(job.state)) return false;
  // CI times have whole seconds, so the window compares at second precision. Tencent documents both ends as strict:
  // "creation time greater than startCreationTime" and "less than endCreationTime" (docs/emulator.md).
  const created = Math.floor(job.creationMs / 1000) * 1000;
  if (query.startMs !== undefined && created <= query.startMs) return false;
  return query.endMs === undefined || created < query.endMs;
}

/** Filters, orders and pages jobs; the token is the `seq` of the page's last job, stable while jobs are added. */
export function listJobs(jobs: Iterable<EmulatedJob>, query: ListQuery): ListPage {
  const asc = query.order === 'Asc';
  const after = query.after;
  const selected = [...jobs]
    .filter((j) => matches(j, query))
    .filter((j) => after === undefined || (asc ? j.seq > after : j.seq < after))
    .sort((a, b) => (asc ? a.seq - b.seq : b.seq - a.seq));
  const page = selected.slice(0, query.size);
  const last = page[page.length - 1];
  const more = selected.length > page.length && last !== undefined;
  return { jobs: page, nextToken: more ? String(last.seq) : '' };
}
