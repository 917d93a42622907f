import { formatCiTime } from './ci-time';
import type { CiJobState } from './job-state';

/** Filters of `GET /asr_jobs` (DescribeSpeechJobs). All optional. */
export interface ListAsrJobsFilter {
  /** Only jobs of this queue. */
  queueId?: string;
  /** Only jobs in these states; CI's default is `All`. */
  states?: readonly (CiJobState | 'All')[];
  /** Jobs created at or after this time (second precision: CI times have whole seconds). */
  startCreationTime?: Date;
  /** Jobs created at or before this time (second precision). */
  endCreationTime?: Date;
  /** Creation-time order; CI's default is `Desc` (newest first). */
  orderByTime?: 'Asc' | 'Desc';
  /** Page size, 1–100; CI's default is 10. */
  size?: number;
  /** `NextToken` of the previous page. */
  nextToken?: string;
}

function wholeSecondPlus(date: Date, seconds: number): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000 + seconds * 1000);
}

/** The query string of `GET /asr_jobs` for `filter`; only set filters appear, besides `tag`. */
export function toListQuery(filter: ListAsrJobsFilter): Record<string, string> {
  const query: Record<string, string> = { tag: 'SpeechRecognition' };
  if (filter.queueId !== undefined) query.queueId = filter.queueId;
  if (filter.states !== undefined) query.states = filter.states.join(',');
  // CI compares strictly ("greater than" start, "less than" end), so the inclusive window of this filter is sent one
  // second wider on each side.
  if (filter.startCreationTime !== undefined) {
    query.startCreationTime = formatCiTime(wholeSecondPlus(filter.startCreationTime, -1));
  }
  if (filter.endCreationTime !== undefined) {
    query.endCreationTime = formatCiTime(wholeSecondPlus(filter.endCreationTime, 1));
  }
  if (filter.orderByTime !== undefined) query.orderByTime = filter.orderByTime;
  if (filter.size !== undefined) query.size = String(filter.size);
  if (filter.nextToken !== undefined) query.nextToken = filter.nextToken;
  return query;
}
