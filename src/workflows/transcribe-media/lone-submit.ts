import { ciQuotaTaskQueue } from '../../shared/constants';

/**
 * The task queue of a run's submit, decided from the run's own `workflowInfo()` (deterministic, no activity): a lone
 * `transcribeMedia` run submits on its task queue's CI quota queue, whose Temporal rate limit also spaces the
 * admissions batches take, so lone and batch submits share one CI submit rate. The quota worker
 * (`TencentCiAsrPlugin` runs one beside each worker) serves those submits. A batch item (`transcribeBatchItem`)
 * submits on its own task queue: its batch took an admission on the quota queue before starting it.
 */
export function submitTaskQueue(info: { workflowType: string; taskQueue: string }): string {
  return info.workflowType === 'transcribeMedia' ? ciQuotaTaskQueue(info.taskQueue) : info.taskQueue;
}
