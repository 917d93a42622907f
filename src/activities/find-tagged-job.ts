import type { AsrJob } from '../ci/types';
import type { CiJobsApi } from './deps';

/** Slack around the creation window, for clock skew between the worker and CI. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Looks for a job carrying `tag` in its `UserData`, created since `sinceMs` (the step's first attempt), by walking
 * the list API page by page. This is how a retried submit adopts the job an earlier attempt created.
 */
export async function findTaggedJob(
  ci: CiJobsApi,
  tag: string,
  options: { sinceMs: number; nowMs: number; queueId?: string },
): Promise<AsrJob | undefined> {
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
    const match = page.jobs.find((job) => job.Operation.UserData === tag);
    if (match) return match;
    nextToken = page.jobs.length > 0 ? page.nextToken : undefined;
  } while (nextToken);
  return undefined;
}
