// Issue 25's phases, run before the kill and restart phases: each with one worker that is not killed (what they find is
// then the hole, not a kill), the slow-credential phase on its own worker.
import { resolve } from 'node:path';
import type { LocalStack } from '../../devstack/local-stack';
import { batchRerunPhase, batchTerminatePhase } from './batch-phases';
import {
  cancelAfterFinishPhase,
  deadlineThrottlePhase,
  manifestFaultPhase,
  slowCredentialsPhase,
} from './money-phases';
import type { SupervisorOptions, WorkerSupervisor } from './supervisor';
import type { ChaosRun } from './verify';
import type { BatchRun } from './verify-batches';

/** The worker entry of the slow-credentials phase. */
const SLOW_CREDENTIALS_WORKER = resolve(__dirname, 'slow-credentials-worker.ts');

/** Sizes of the money phases: runs per lone-run phase, batches per batch phase (0 skips them). */
export interface MoneySizes {
  runs: number;
  batches: number;
}

/** What the money phases ran, and the supervisors of their workers (for the crash count). */
export interface MoneyOutcome {
  runs: ChaosRun[];
  batches: BatchRun[];
  supervisors: WorkerSupervisor[];
}

/**
 * Runs the money phases in turn: deadline-throttle, cancel-after-finish, manifest-faults, batch-terminate and
 * batch-rerun on a calm worker, then slow-credentials on a worker whose credential fetch is sometimes slower than an
 * attempt (7 s against 5 s, for 60 % of the fetches). `supervise` makes a supervisor for the chaos worker's environment.
 */
export async function runMoneyPhases(
  stack: LocalStack,
  sizes: MoneySizes,
  queueId: string,
  supervise: (env: Record<string, string>, options: SupervisorOptions) => WorkerSupervisor,
): Promise<MoneyOutcome> {
  const outcome: MoneyOutcome = { runs: [], batches: [], supervisors: [] };
  if (sizes.runs === 0 && sizes.batches === 0) return outcome;
  const calm = supervise({}, {});
  outcome.supervisors.push(calm);
  calm.start(false);
  // Runs started before a worker polls would meet short deadlines before their first task and never submit.
  await calm.polling;
  try {
    if (sizes.runs > 0) {
      outcome.runs.push(...(await deadlineThrottlePhase(stack, sizes.runs)));
      outcome.runs.push(...(await cancelAfterFinishPhase(stack, sizes.runs)));
      outcome.runs.push(...(await manifestFaultPhase(stack, sizes.runs)));
    }
    if (sizes.batches > 0) {
      outcome.batches.push(...(await batchTerminatePhase(stack, sizes.batches)));
      outcome.batches.push(...(await batchRerunPhase(stack, sizes.batches)));
    }
  } finally {
    await calm.stop();
  }
  if (sizes.runs === 0) return outcome;
  const slow = supervise(
    { CHAOS_SLOW_FETCH_SHARE: '0.6', CHAOS_SLOW_FETCH_MS: '7000' },
    { entry: SLOW_CREDENTIALS_WORKER },
  );
  outcome.supervisors.push(slow);
  slow.start(false);
  await slow.polling;
  try {
    outcome.runs.push(...(await slowCredentialsPhase(stack, sizes.runs, queueId)));
  } finally {
    await slow.stop();
  }
  return outcome;
}
