import { ActivityFailure, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../contract';
import { ciQuotaTaskQueue } from '../../shared/constants';
import type { BatchContinuation, TranscribeBatchInput } from './types';

const { readQueueConcurrency } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/**
 * Caps the window by the CI queue's `MaxConcurrent` (or `ciConcurrency`), read once per batch into
 * `state.concurrencyCap`; returns whether the cap comes from the queue (is below `maxInFlight`).
 */
export async function resolveConcurrencyCap(input: TranscribeBatchInput, state: BatchContinuation): Promise<boolean> {
  const wanted = input.maxInFlight ?? 10;
  let queueCap = input.ciConcurrency;
  if (state.concurrencyCap === undefined && queueCap === undefined) {
    queueCap = await readQueueConcurrency({
      bucket: input.bucket,
      region: input.region,
      queueId: input.item?.queueId,
    }).catch((err: unknown) => {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('Could not read the CI queue concurrency; the window is maxInFlight', { error: err.message });
      return undefined;
    });
  }
  if (state.concurrencyCap === undefined) state.concurrencyCap = Math.min(wanted, queueCap ?? wanted);
  return state.concurrencyCap < wanted;
}

/** One admission per item from the shared, rate-limited quota queue; a slow grant is a wait, never a failure. */
export function admission() {
  return proxyActivities<Activities>({
    taskQueue: ciQuotaTaskQueue(workflowInfo().taskQueue),
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
  }).admitCiSubmit;
}
