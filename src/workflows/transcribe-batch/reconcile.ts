import { ActivityFailure, isCancellation, log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../contract';
import type { BatchItemOutcome, BatchItemRef } from './types';

const { describeBatchItems } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/**
 * First look, in milliseconds, at items that cannot report through a child result (carried over a continue-as-new);
 * each later look waits twice as long, up to {@link RECONCILE_MAX_MS}: a six-hour item costs about 75 looks.
 */
export const RECONCILE_FIRST_MS = 10_000;
/** The longest wait between two looks at items without a report. */
export const RECONCILE_MAX_MS = 5 * 60_000;

/** The delay after `delay` (doubling, capped). */
export function nextReconcileDelay(delay: number): number {
  return Math.min(delay * 2, RECONCILE_MAX_MS);
}

/**
 * The outcomes of those of `items` that have closed, read from Temporal: an item terminated or timed out never
 * reports, so the batch asks. A look that fails is logged and answers nothing: the next look asks again.
 */
export async function closedItems(items: readonly BatchItemRef[]): Promise<BatchItemOutcome[]> {
  if (items.length === 0) return [];
  try {
    return await describeBatchItems({ items: items.map(({ key, workflowId }) => ({ key, workflowId })) });
  } catch (err) {
    if (!(err instanceof ActivityFailure) || isCancellation(err)) throw err;
    log.warn('Could not look up batch items without a report; looking again later', { error: err.message });
    return [];
  }
}
