import type { LocalStack } from '../../devstack/local-stack';
import { scanHistories } from '../../devstack/history-scan';
import type { FaultConfig } from '../../src/emulator';
import { noFaults } from '../../src/emulator';
import { progress } from '../lib/runtime';
import { waitForPoller } from '../lib/child-worker';
import type { TokenRotator } from './credentials';
import { keepFailedRuns } from './failures';
import type { MoneySizes } from './money';
import { runMoneyPhases } from './money';
import { planRuns } from './money-phases';
import { awaitClosed, startRuns } from './phase';
import { summarize } from './summary';
import type { SupervisorOptions } from './supervisor';
import { WorkerSupervisor } from './supervisor';
import type { ChaosTemporal } from './temporal';
import type { ChaosRun } from './verify';
import { verifyRuns } from './verify';
import { verifyBatches } from './verify-batches';

/** Faults on for the kill and restart phases (lost submit responses are re-armed at the start of each). */
export const CHAOS_FAULTS: Partial<FaultConfig> = {
  routes: { '*': { serverErrorShare: 0.05, throttleShare: 0.05, latencyMs: 20 } },
  loseSubmitResponses: 5,
  callbackDropShare: 0.2,
  callbackDuplicateShare: 0.2,
  callbackEarlyShare: 0.1,
  callbackDelayMs: 300,
  callbackReorderWindow: 3,
};

/** Deadline of the runs whose result only the check at the deadline can find. */
const DEADLINE_RUN_DEADLINE = '60s';
/** Time allowed for each phase's runs to close once started. */
const PHASE_TIMEOUT_MS = 4 * 60_000;

/** What {@link runChaosPhases} needs. */
export interface ChaosContext {
  stack: LocalStack;
  temporal: ChaosTemporal;
  bundle: { code: string };
  bundlePath: string;
  /** Runs of the kill phase and of the restart phase, and the money phases' sizes (0 skips a phase). */
  sizes: { phase1: number; phase2: number; money: MoneySizes };
  /** Rewrites the worker's STS token file while the emulator expires and revokes tokens. */
  rotator: TokenRotator;
  /** A queue the emulator knows besides the bucket's default: every third run names it (unknown ids are refused). */
  queueId: string;
}

/**
 * Every tenth run has no callback and its first poll due after its deadline: only the check at the deadline can find
 * its (long finished) job, and must keep the result. Every third names the extra queue.
 */
function plannedFor(ctx: ChaosContext, phase: string, count: number) {
  return planRuns(ctx.stack, phase, count, 'complete', (i) => {
    const atDeadline = i % 10 === 9;
    return {
      callback: atDeadline ? { enabled: false } : { format: i % 2 === 0 ? 'XML' : 'JSON' },
      polling: atDeadline ? { firstDelay: '1h' } : { firstDelay: '2s', maxInterval: '10s' },
      ...(atDeadline ? { deadline: DEADLINE_RUN_DEADLINE } : {}),
      ...(i % 3 === 0 ? { queueId: ctx.queueId } : {}),
    };
  });
}

async function phase(ctx: ChaosContext, name: string, count: number, midFlight?: () => Promise<void>) {
  const { client } = ctx.stack;
  ctx.stack.services.emulator.setFaults({ loseSubmitResponses: CHAOS_FAULTS.loseSubmitResponses });
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  progress(`chaos: ${name}: starting ${count} workflows`);
  const planned = plannedFor(ctx, name, count);
  const inputs = planned.map(({ plan, input }) => ({ workflowId: plan.workflowId, input }));
  const started = startRuns(client, ctx.stack.taskQueue, inputs, 40, deadline);
  await midFlight?.();
  const ids = await started;
  const closed = await awaitClosed(client, ids, deadline);
  return closed.map(({ status }, i): ChaosRun => ({ ...planned[i]!.plan, status }));
}

/** Restarts the dev server twice while phase 2's runs are starting and running. */
async function restartServerTwice(temporal: ChaosTemporal): Promise<void> {
  for (const downMs of [5_000, 1_000]) {
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    progress(`chaos: restarting the Temporal dev server (down ${downMs} ms)`);
    await temporal.restart(downMs);
  }
}

/** Supervisors of `src/worker.ts` (or another entry) children with chaos's environment. */
function supervisorsFor(ctx: ChaosContext) {
  const { client, taskQueue, temporal } = ctx.stack;
  return (env: Record<string, string>, options: SupervisorOptions, killing = false) =>
    new WorkerSupervisor(
      // Lone runs submit through the CI quota queue: a rate the emulator never throttles keeps chaos about crashes.
      { ...ctx.stack.workerEnv, CI_SUBMITS_PER_SECOND: '1000', WORKFLOW_BUNDLE_PATH: ctx.bundlePath, ...env },
      killing ? { lifeMs: [1_000, 5_000], downMs: [100, 1_500] } : { lifeMs: [60_000, 60_000], downMs: [0, 0] },
      {
        ready: (pid, gaveUp) => waitForPoller(client, temporal.namespace, taskQueue, pid, 60_000, gaveUp),
        excused: (from, to) => ctx.temporal.wasDownDuring(from, to),
        ...options,
      },
    );
}

/**
 * The money phases first, while the machine is not yet busy with the kill phases' leftovers (what they find is then
 * their hole, not load), then the kill and restart phases with the worker SIGKILLed throughout; returns what ran.
 */
async function runPhases(ctx: ChaosContext) {
  const supervise = supervisorsFor(ctx);
  ctx.rotator.start(ctx.stack.services.emulator);
  try {
    const money = await runMoneyPhases(ctx.stack, ctx.sizes.money, ctx.queueId, supervise);
    const killer = supervise({}, {}, true);
    ctx.stack.services.emulator.setFaults(CHAOS_FAULTS);
    // No worker to kill when both phases are skipped (CHAOS_WORKFLOWS=0 CHAOS_RESTART_WORKFLOWS=0).
    if (ctx.sizes.phase1 + ctx.sizes.phase2 > 0) killer.start(true);
    const runs: ChaosRun[] = [];
    try {
      // A size of 0 skips the phase (CHAOS_WORKFLOWS=0 reproduces the server-restart phase alone, faster).
      if (ctx.sizes.phase1 > 0) runs.push(...(await phase(ctx, 'kills', ctx.sizes.phase1)));
      if (ctx.sizes.phase2 > 0)
        runs.push(...(await phase(ctx, 'server-restart', ctx.sizes.phase2, () => restartServerTwice(ctx.temporal))));
    } finally {
      await killer.stop();
    }
    return { runs: [...runs, ...money.runs], batches: money.batches, supervisors: [killer, ...money.supervisors] };
  } finally {
    ctx.rotator.stop(ctx.stack.services.emulator);
  }
}

/** Jobs the emulator holds in `queueId` (the runs that named the extra queue, retries included). */
async function jobsInQueue(emulatorUrl: string, queueId: string): Promise<number> {
  const jobs = (await (await fetch(`${emulatorUrl}/_emulator/jobs`)).json()) as Array<{ queueId: string }>;
  return jobs.filter((job) => job.queueId === queueId).length;
}

/** Every phase, the checks, and the summary (`pass` says whether every figure that must be 0 is). */
export async function runChaosPhases(ctx: ChaosContext) {
  const { stack, temporal } = ctx;
  const { runs, batches, supervisors } = await runPhases(ctx);
  const { faultsInjected, authRejections } = stack.services.emulator.counters();
  stack.services.emulator.setFaults(noFaults());
  progress('chaos: verifying results and scanning histories');
  const verdicts = await verifyRuns(stack.client, stack.services, runs);
  const batchVerdicts = await verifyBatches(stack.services, batches);
  const failuresDir = await keepFailedRuns(stack.client, [...verdicts, ...batchVerdicts]);
  if (failuresDir) progress(`chaos: failed runs' verdicts and histories kept in ${failuresDir}`);
  const { secretKey, callbackSecret, secretId } = stack.services.secrets;
  const workflowIds = [...runs, ...batches].map((run) => run.workflowId);
  const secrets = { secretKey, callbackSecret, secretId, ...ctx.rotator.secrets() };
  const scan = await scanHistories(stack.client, workflowIds, secrets, ctx.bundle);
  const { problems, pass, ...figures } = summarize(verdicts, batchVerdicts, scan, supervisors);
  return {
    ...figures,
    serverRestarts: temporal.restarts,
    faultsInjected,
    tokenRotations: ctx.rotator.rotations,
    tokenRevocations: ctx.rotator.revocations,
    expiredTokenRejections: authRejections.ExpiredToken ?? 0,
    strictQueueJobs: await jobsInQueue(stack.services.emulator.url, ctx.queueId),
    problems,
    ...(failuresDir ? { failuresDir } : {}),
    pass,
  };
}
