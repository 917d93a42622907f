import type { AsrJob } from '../ci/types';
import type { CiJobsApi } from './deps';

/** Slack around the creation window, for clock skew between the worker and CI. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Every job carrying `tag` in its `UserData` created since `sinceMs` (the step's first attempt), oldest first, found by
 * walking the list API page by page. This is how a retried submit adopts the job an earlier attempt created.
 */
export async function findTaggedJobs(
  ci: CiJobsApi,
  tag: string,
  options: { sinceMs: number; nowMs: number; queueId?: string },
): Promise<AsrJob[]> {
  const found: AsrJob[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ci.list({
      queueId: options.queueId,
      startCreationTime: new Date(options.sinceMs - CLOCK_SKEW_MS),
      endCreationTime: new Date(options.nowMs + CLOCK_SKEW_MS),
      orderByTime: 'Asc',
      size: 100,
      nextToken,
    });
    found.push(...page.jobs.filter((job) => job.Operation.UserData === tag));
    nextToken = page.jobs.length > 0 ? page.nextToken : undefined;
  } while (nextToken);
  return found.sort((a, b) => a.CreationTime.getTime() - b.CreationTime.getTime() || a.JobId.localeCompare(b.JobId));
}
