import type { ActivityOptions } from '@temporalio/workflow';
import { proxyActivities, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../contract';
import { ciQuotaTaskQueue } from '../../shared/constants';

type Submit = Activities['submitTranscriptionJob'];

// The worker's configuration, which workflow code cannot read: asked once, in the run's first workflow task.
const { usesSharedSubmitQueue } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumInterval: '5 seconds' },
});

/**
 * The submit a lone run (not a batch item) makes: on this task queue's CI quota queue when the worker says its
 * workers run submits there (`ActivityRuntime.sharedSubmitQueue`, set by the plugin), so Temporal's rate limit of that queue, which batches
 * take their admissions from, spaces lone submits too; else `direct`. A batch item's batch took an admission already.
 */
export async function loneRunSubmit(options: ActivityOptions, direct: Submit): Promise<Submit> {
  const { workflowType, taskQueue } = workflowInfo();
  if (workflowType !== 'transcribeMedia' || !(await usesSharedSubmitQueue())) return direct;
  return proxyActivities<Activities>({ ...options, taskQueue: ciQuotaTaskQueue(taskQueue) }).submitTranscriptionJob;
}
