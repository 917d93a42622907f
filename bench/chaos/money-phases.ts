// The lone-run phases of issue 25 ("Money paths, second round"): each drives `transcribeMedia` runs into one of the
// holes a careful reading found, and says what every run must end as (checked at the source by `verify.ts`).
import { randomUUID } from 'node:crypto';
import type { LocalStack } from '../../devstack/local-stack';
import type { FaultConfig } from '../../src/emulator';
import { silentWav } from '../../src/emulator';
import type { TranscribeMediaInput } from '../../src';
import { BENCH_RECOGNITION } from '../lib/bench-stack';
import { progress } from '../lib/runtime';
import { awaitClosed, startRuns } from './phase';
import { emulatorJobs, untilJobsSettle } from './source';
import type { ChaosRun, Expectation, RunPlan } from './verify';

/** A killed or slow attempt is given up after this (the runs' `activityAttemptTimeout`). */
const ATTEMPT_TIMEOUT = '5s';
/** Time allowed for a phase's runs to close once started. */
const PHASE_TIMEOUT_MS = 3 * 60_000;

/**
 * The phase's faults over none (token expiry and revocation, which the rotator owns, are left as they are). Each
 * money phase injects only what its hole needs, so what it finds is that hole.
 */
export function phaseFaults(stack: LocalStack, patch: Partial<FaultConfig> = {}): void {
  stack.services.emulator.setFaults({
    routes: {},
    loseSubmitResponses: 0,
    callbackDropShare: 0,
    callbackDuplicateShare: 0,
    callbackEarlyShare: 0,
    callbackDelayMs: 0,
    callbackReorderWindow: 0,
    failJobs: [],
    holdJobs: [],
    ...patch,
  });
}

interface PlannedInput {
  plan: RunPlan;
  input: TranscribeMediaInput;
}

/** `count` runs of `phase`, each on its own media object and output key; `extra(i)` shapes run `i`. */
export function planRuns(
  stack: LocalStack,
  phase: string,
  count: number,
  expect: Expectation,
  extra: (i: number) => Partial<TranscribeMediaInput>,
): PlannedInput[] {
  const { emulator, bucket } = stack.services;
  return Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    const mediaKey = `chaos/${phase}/${id}.wav`;
    const outputKey = `chaos-out/${phase}/${id}.txt`;
    const manifestKey = `${outputKey}.manifest.json`;
    emulator.putObject(bucket, mediaKey, silentWav(1));
    const input: TranscribeMediaInput = {
      media: { object: mediaKey },
      recognition: BENCH_RECOGNITION,
      output: { key: outputKey },
      manifestKey,
      activityAttemptTimeout: ATTEMPT_TIMEOUT,
      polling: { firstDelay: '2s', maxInterval: '5s' },
      ...extra(i),
    };
    const plan: RunPlan = { workflowId: `chaos-${phase}-${i}-${id}`, phase, mediaKey, outputKey, manifestKey, expect };
    return { plan, input };
  });
}

/** Starts the planned runs `spacingMs` apart and waits until they close (or the phase times out). */
export async function runPlanned(
  stack: LocalStack,
  planned: readonly PlannedInput[],
  spacingMs: number,
  whileRunning?: () => Promise<void>,
): Promise<ChaosRun[]> {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  const runs = planned.map(({ plan, input }) => ({ workflowId: plan.workflowId, input }));
  const ids = await startRuns(stack.client, stack.taskQueue, runs, spacingMs, deadline);
  await whileRunning?.();
  const closed = await awaitClosed(stack.client, ids, deadline);
  return closed.map(({ status }, i) => ({ ...planned[i]!.plan, status }));
}

/**
 * Throttling near the deadline: every submit is answered after 2.5 s (just inside an attempt's own 3 s abort), half
 * of them `SlowDown`, and deadlines are spread over 6–16.5 s, so retried attempts race the submit's schedule-to-close.
 * (Latency beyond what a cleanup's second look waits for, 1 s with chaos's 5 s attempts, would test CI, not us.) A request an abandoned attempt already sent is
 * still committed by CI (the emulator handles it after its latency): a run may fail at its deadline, but every job it
 * made must be cancelled or recorded. Checked once the emulator's job table is quiet.
 */
export async function deadlineThrottlePhase(stack: LocalStack, count: number): Promise<ChaosRun[]> {
  progress(`chaos: deadline-throttle: ${count} runs racing schedule-to-close`);
  phaseFaults(stack, { routes: { 'POST /asr_jobs': { throttleShare: 0.5, latencyMs: 2_500 } } });
  const planned = planRuns(stack, 'deadline-throttle', count, 'complete-or-recorded-failure', (i) => ({
    deadline: `${6_000 + (i % 8) * 1_500}ms`,
  }));
  const runs = await runPlanned(stack, planned, 150);
  await untilJobsSettle(stack.services, 5_000);
  phaseFaults(stack);
  return runs;
}

/**
 * Cancels that land after CI finished: no poll before the run's deadline, half without callbacks and half with
 * callbacks delayed 1.5 s; the harness cancels each run as soon as the emulator shows its job `Success`. The paid
 * result must be kept (manifest written or its location recorded).
 */
export async function cancelAfterFinishPhase(stack: LocalStack, count: number): Promise<ChaosRun[]> {
  progress(`chaos: cancel-after-finish: ${count} runs cancelled once CI finished their job`);
  phaseFaults(stack, { callbackDelayMs: 1_500 });
  const planned = planRuns(stack, 'cancel-after-finish', count, 'keep-success', (i) => ({
    callback: i % 2 === 0 ? { enabled: false } : { format: 'JSON' },
    polling: { firstDelay: '1h' },
    deadline: '30m',
  }));
  for (const { plan } of planned) plan.cancelledAfterSuccess = false;
  const cancelWhenFinished = async () => {
    const waiting = new Map(planned.map(({ plan }) => [plan.mediaKey, plan]));
    const until = Date.now() + PHASE_TIMEOUT_MS;
    while (waiting.size > 0 && Date.now() < until) {
      for (const job of await emulatorJobs(stack.services)) {
        const plan = job.state === 'Success' ? waiting.get(job.input?.object ?? '') : undefined;
        if (!plan) continue;
        waiting.delete(plan.mediaKey);
        // Refused when the run has just completed (its callback won the race): then it was not cancelled.
        plan.cancelledAfterSuccess = await stack.client.workflow
          .getHandle(plan.workflowId)
          .cancel()
          .then(
            () => true,
            () => false,
          );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const runs = await runPlanned(stack, planned, 100, cancelWhenFinished);
  phaseFaults(stack);
  return runs;
}

/**
 * Manifest writes that fail for a while: for 40 s every worker `PUT` (manifests) is refused, 60 % `500` and 40 %
 * `403 AccessDenied` (a policy briefly revoked). Half the runs meet their deadline (10–20 s, no poll before it) in the
 * window, half poll through it. Every job CI finished must be kept.
 */
export async function manifestFaultPhase(stack: LocalStack, count: number): Promise<ChaosRun[]> {
  const windowMs = 40_000;
  progress(`chaos: manifest-faults: ${count} runs, manifest writes refused for ${windowMs / 1000} s`);
  // Every PUT fails: 60 % with 500 (retried, by the SDK first), the rest with a 403 (not retried).
  phaseFaults(stack, { routes: { 'PUT object': { serverErrorShare: 0.6, deniedShare: 1 } } });
  const lift = new Promise<void>((resolve) =>
    setTimeout(() => {
      phaseFaults(stack);
      resolve();
    }, windowMs),
  );
  const planned = planRuns(stack, 'manifest-faults', count, 'keep-success', (i) =>
    i % 2 === 0
      ? { callback: { enabled: false }, polling: { firstDelay: '1h' }, deadline: `${10 + (i % 10)}s` }
      : { callback: { format: 'XML' } },
  );
  const runs = await runPlanned(stack, planned, 100);
  await lift;
  return runs;
}

/**
 * Plain runs for the slow-credential worker: every one must complete, and the worker must never exit by itself. Every
 * other run names `queueId`, so its submit signs at once (no queue lookup first, which would meet the slow fetch
 * before the submit's body exists).
 */
export async function slowCredentialsPhase(stack: LocalStack, count: number, queueId: string): Promise<ChaosRun[]> {
  progress(`chaos: slow-credentials: ${count} runs on a worker whose key fetch is sometimes slower than an attempt`);
  phaseFaults(stack);
  const planned = planRuns(stack, 'slow-credentials', count, 'complete', (i) => ({
    callback: i % 2 === 0 ? { format: 'XML' } : { enabled: false },
    ...(i % 2 === 0 ? { queueId } : {}),
  }));
  // Spread over several token rotations, so submits keep meeting fresh (and often slow) fetches.
  return await runPlanned(stack, planned, 1_000);
}
