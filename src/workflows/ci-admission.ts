import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/create-activities';
import { ciQuotaTaskQueue } from '../shared/constants';

/**
 * The admission activity of the shared CI submit rate limit: `admitCiSubmit` on this run's quota queue, whose worker
 * sets Temporal's task-queue activity rate limit. A slow grant is a wait, never a failure; `scheduleToCloseMs` bounds
 * the wait when the caller has a deadline.
 */
export function ciSubmitAdmission(scheduleToCloseMs?: number): () => Promise<void> {
  return proxyActivities<Activities>({
    taskQueue: ciQuotaTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '10 seconds',
    ...(scheduleToCloseMs === undefined ? {} : { scheduleToCloseTimeout: Math.max(1_000, scheduleToCloseMs) }),
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  }).admitCiSubmit;
}
