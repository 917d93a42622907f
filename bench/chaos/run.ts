import { randomUUID } from 'node:crypto';
import type { HistoryScan } from '../../devstack/history-scan';
import { scanHistories } from '../../devstack/history-scan';
import type { LocalStack } from '../../devstack/local-stack';
import type { FaultConfig } from '../../src/emulator';
import { noFaults, silentWav } from '../../src/emulator';
import type { TranscribeMediaInput } from '../../src';
import { BENCH_RECOGNITION } from '../lib/bench-stack';
import { progress } from '../lib/runtime';
import type { TokenRotator } from './credentials';
import type { ClosedRun } from './phase';
import { awaitClosed, startRuns } from './phase';
import { waitForPoller } from '../lib/child-worker';
import { WorkerSupervisor } from './supervisor';
import type { ChaosTemporal } from './temporal';
import type { RunVerdict } from './verify';
import { verifyRuns } from './verify';
import { keepFailedRuns } from './failures';

/** Faults on for the whole run (lost submit responses are re-armed at the start of each phase). */
export const CHAOS_FAULTS: Partial<FaultConfig> = {
  routes: { '*': { serverErrorShare: 0.05, throttleShare: 0.05, latencyMs: 20 } },
  loseSubmitResponses: 5,
  callbackDropShare: 0.2,
  callbackDuplicateShare: 0.2,
  callbackEarlyShare: 0.1,
  callbackDelayMs: 300,
  callbackReorderWindow: 3,
};

/** A killed worker's activity is retried after this; short so kills cost seconds, not minutes. */
const ACTIVITY_ATTEMPT_TIMEOUT = '5s';
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
  sizes: { phase1: number; phase2: number };
  /** Rewrites the worker's STS token file while the emulator expires and revokes tokens. */
  rotator: TokenRotator;
  /** A queue the emulator knows besides the bucket's default: every third run names it (unknown ids are refused). */
  queueId: string;
}

function inputsFor(ctx: ChaosContext, phase: string, count: number) {
  const { emulator, bucket } = ctx.stack.services;
  return Array.from({ length: count }, (_, i) => {
    const key = `chaos/${phase}/${randomUUID()}.wav`;
    emulator.putObject(bucket, key, silentWav(1));
    // Every tenth run has no callback and its first poll due after its deadline: only the check at the deadline
    // can find its (long finished) job, and must keep the result.
    const atDeadline = i % 10 === 9;
    const input: TranscribeMediaInput = {
      media: { object: key },
      recognition: BENCH_RECOGNITION,
      callback: atDeadline ? { enabled: false } : { format: i % 2 === 0 ? 'XML' : 'JSON' },
      polling: atDeadline ? { firstDelay: '1h' } : { firstDelay: '2s', maxInterval: '10s' },
      ...(atDeadline ? { deadline: DEADLINE_RUN_DEADLINE } : {}),
      activityAttemptTimeout: ACTIVITY_ATTEMPT_TIMEOUT,
      ...(i % 3 === 0 ? { queueId: ctx.queueId } : {}),
    };
    return { workflowId: `chaos-${phase}-${i}-${randomUUID()}`, input };
  });
}

async function phase(ctx: ChaosContext, name: string, count: number, midFlight?: () => Promise<void>) {
  const { client } = ctx.stack;
  ctx.stack.services.emulator.setFaults({ loseSubmitResponses: CHAOS_FAULTS.loseSubmitResponses });
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  progress(`chaos: ${name}: starting ${count} workflows`);
  const started = startRuns(client, ctx.stack.taskQueue, inputsFor(ctx, name, count), 40, deadline);
  await midFlight?.();
  const ids = await started;
  return await awaitClosed(client, ids, deadline);
}

/** Restarts the dev server twice while phase 2's runs are starting and running. */
async function restartServerTwice(temporal: ChaosTemporal): Promise<void> {
  for (const downMs of [5_000, 1_000]) {
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    progress(`chaos: restarting the Temporal dev server (down ${downMs} ms)`);
    await temporal.restart(downMs);
  }
}

/** Runs both phases with the faults on and the worker being killed; returns the runs and the supervisor. */
async function runPhases(ctx: ChaosContext): Promise<{ runs: ClosedRun[]; supervisor: WorkerSupervisor }> {
  const { client, taskQueue, temporal } = ctx.stack;
  const supervisor = new WorkerSupervisor(
    // Lone runs submit through the CI quota queue: a rate the emulator never throttles keeps the chaos about crashes.
    { ...ctx.stack.workerEnv, CI_SUBMITS_PER_SECOND: '1000', WORKFLOW_BUNDLE_PATH: ctx.bundlePath },
    { lifeMs: [1_000, 5_000], downMs: [100, 1_500] },
    (pid, gaveUp) => waitForPoller(client, temporal.namespace, taskQueue, pid, 60_000, gaveUp),
  );
  ctx.stack.services.emulator.setFaults(CHAOS_FAULTS);
  ctx.rotator.start(ctx.stack.services.emulator);
  supervisor.start(true);
  try {
    // A size of 0 skips the phase (CHAOS_WORKFLOWS=0 reproduces the server-restart phase alone, faster).
    const runs = ctx.sizes.phase1 > 0 ? await phase(ctx, 'kills', ctx.sizes.phase1) : [];
    if (ctx.sizes.phase2 > 0)
      runs.push(...(await phase(ctx, 'server-restart', ctx.sizes.phase2, () => restartServerTwice(ctx.temporal))));
    return { runs, supervisor };
  } finally {
    await supervisor.stop();
    ctx.rotator.stop(ctx.stack.services.emulator);
  }
}

function summarize(verdicts: readonly RunVerdict[], scan: HistoryScan) {
  const failed = verdicts.filter((verdict) => verdict.problems.length > 0);
  const count = (pick: (verdict: RunVerdict) => number) => verdicts.reduce((sum, verdict) => sum + pick(verdict), 0);
  const summary = {
    started: verdicts.length,
    completed: verdicts.length - failed.length,
    duplicateJobs: count((verdict) => Math.max(0, verdict.jobs - 1)),
    cancelledDuplicateJobs: count((verdict) => verdict.cancelledDuplicates),
    recordedDuplicates: count((verdict) => verdict.recordedDuplicates),
    unrecordedDuplicateJobs: count((verdict) => verdict.unrecordedDuplicates),
    orphanedJobs: count((verdict) => verdict.orphanedJobs),
    resultsKeptAtDeadline: count((verdict) => verdict.keptAtDeadline),
    lostResults: failed.length,
    secretLeaks: scan.leaks.length,
    replayFailures: scan.replayFailures.length,
    completedByCallback: count((verdict) => (verdict.completedBy === 'callback' ? 1 : 0)),
    completedByPoll: count((verdict) => (verdict.completedBy === 'poll' ? 1 : 0)),
    problems: [
      ...failed.map((f) => `${f.workflowId}: ${f.problems.join('; ')}`),
      ...scan.leaks,
      ...scan.replayFailures,
    ].slice(0, 20),
  };
  const pass =
    summary.completed === summary.started &&
    summary.unrecordedDuplicateJobs === 0 &&
    summary.orphanedJobs === 0 &&
    summary.lostResults === 0 &&
    summary.secretLeaks === 0 &&
    summary.replayFailures === 0;
  return { ...summary, pass };
}

/** Jobs the emulator holds in `queueId` (the runs that named the extra queue, retries included). */
async function jobsInQueue(emulatorUrl: string, queueId: string): Promise<number> {
  const jobs = (await (await fetch(`${emulatorUrl}/_emulator/jobs`)).json()) as Array<{ queueId: string }>;
  return jobs.filter((job) => job.queueId === queueId).length;
}

/** Both phases, the checks, and the summary (`pass` says whether every run completed correctly). */
export async function runChaosPhases(ctx: ChaosContext) {
  const { stack, temporal } = ctx;
  const { runs, supervisor } = await runPhases(ctx);
  const { faultsInjected, authRejections } = stack.services.emulator.counters();
  stack.services.emulator.setFaults(noFaults());
  progress('chaos: verifying results and scanning histories');
  const verdicts = await verifyRuns(stack.client, stack.services, stack.temporal.namespace, runs);
  const failuresDir = await keepFailedRuns(stack.client, verdicts);
  if (failuresDir) progress(`chaos: failed runs' verdicts and histories kept in ${failuresDir}`);
  const { secretKey, callbackSecret, secretId } = stack.services.secrets;
  const workflowIds = runs.map((run) => run.workflowId);
  const secrets = { secretKey, callbackSecret, secretId, ...ctx.rotator.secrets() };
  const scan = await scanHistories(stack.client, workflowIds, secrets, ctx.bundle);
  const { problems, pass, ...figures } = summarize(verdicts, scan);
  return {
    ...figures,
    workerKills: supervisor.kills,
    workerStarts: supervisor.starts,
    workerCrashes: supervisor.crashes,
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
