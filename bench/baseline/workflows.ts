/**
 * Baseline for the throughput benchmark: the same number of activities as `transcribeMedia` on the callback path
 * (submit, then one that checks the job and stores the result) and one signal to wait for, with no CI logic.
 * Bundled on its own.
 */
import { condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createBaselineActivities } from './activities';
import { baselineDoneSignal } from './messages';

const { baselineSubmit, baselineCheck } = proxyActivities<ReturnType<typeof createBaselineActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5 },
});

/** Starts a fake job that signals back after its duration, waits for the signal, then one more activity. */
export async function baselineJob(jobMs: number): Promise<string> {
  let done = false;
  setHandler(baselineDoneSignal, () => void (done = true));
  const jobId = await baselineSubmit(jobMs);
  await condition(() => done);
  return await baselineCheck(jobId);
}
