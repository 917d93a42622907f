/** Default task queue served by this package's worker. */
export const DEFAULT_TASK_QUEUE = 'tencent-ci-asr';

/**
 * The task queue of the shared CI submit rate limit that belongs to `taskQueue`. Batches take one admission from it
 * per item before they start the item; the worker that polls it sets Temporal's task-queue activity rate limit
 * (`maxTaskQueueActivitiesPerSecond`), which the server enforces across every worker.
 */
export function ciQuotaTaskQueue(taskQueue: string): string {
  return `${taskQueue}-ci-quota`;
}
