import { randomUUID } from 'node:crypto';
import { silentWav } from '../../src/emulator';
import { transcribeMedia } from '../../src/workflows';
import { baselineJob } from '../baseline/workflows';
import type { BenchStack } from '../lib/bench-stack';
import { benchInput } from '../lib/bench-stack';
import type { EmulatorCounters } from '../../src/emulator';
import { ciCallsBetween } from '../lib/ci-calls';
import { mapPool } from '../lib/pool';
import { devServerPid, processCpuMs, selfCpuMs } from '../lib/process-cpu';
import { progress } from '../lib/runtime';
import type { ServiceProcesses } from '../lib/service-processes';
import { startServiceProcesses } from '../lib/service-processes';

/** Rate and CPU cost of one kind of workflow, averaged over its rounds. */
export interface KindFigures {
  perSecond: number;
  /** CPU of the bench process per workflow (the worker and the client), ms. */
  workerClientCpuMsPerWorkflow: number;
  /** CPU of the Temporal dev server per workflow, ms. */
  serverCpuMsPerWorkflow: number;
  /** Worker + client + server: what the ratio compares, ms. */
  cpuMsPerWorkflow: number;
  /** CPU of the emulator and receiver processes per workflow (Tencent's side; not in `cpuMsPerWorkflow`), ms. */
  servicesCpuMsPerWorkflow: number;
  /** Runs that completed by a poll rather than their callback (a callback the receiver could not deliver in time). */
  completedByPoll: number;
  /** CI API requests per workflow by route, counted by the emulator process (none for the baseline). */
  ciCallsPerWorkflow: Record<string, number>;
}

/** Both kinds measured side by side on the same server. */
export interface ThroughputResult {
  workflows: number;
  rounds: number;
  transcribe: KindFigures;
  baseline: KindFigures;
  /** Wall-clock rate, ours / baseline. */
  ratio: number;
  /** CPU per workflow (worker + client + server), baseline / ours. */
  cpuRatio: number;
}

/**
 * First poll of the callback-path runs: far enough away that runs complete by their callback, near enough that a
 * callback the overloaded receiver answered 503 until the emulator gave up costs a poll, not an hour.
 */
const FALLBACK_POLL = '30 seconds';

/** In-flight `start` calls; the workflows themselves all run at once. */
const START_CONCURRENCY = 50;

type Start = (i: number) => Promise<{ result(): Promise<unknown> }>;

interface Pids {
  server?: number;
  services: ServiceProcesses;
}

/** Starts `count` workflows as fast as the client allows, waits for all, and returns rate and CPU per workflow. */
async function measure(count: number, pids: Pids, start: Start): Promise<KindFigures> {
  const services = () => processCpuMs(pids.services.emulatorPid) + processCpuMs(pids.services.receiverPid);
  const counters = async () =>
    (await (await fetch(`${pids.services.emulatorUrl}/_emulator/counters`)).json()) as EmulatorCounters;
  const calls0 = await counters();
  const [self0, server0, services0] = [selfCpuMs(), processCpuMs(pids.server), services()];
  const t0 = performance.now();
  const handles = await mapPool(count, START_CONCURRENCY, start);
  const results = await Promise.all(handles.map((handle) => handle.result()));
  const byPoll = results.filter((r) => (r as { completedBy?: string } | undefined)?.completedBy === 'poll').length;
  const seconds = (performance.now() - t0) / 1000;
  const workerClient = (selfCpuMs() - self0) / count;
  const server = (processCpuMs(pids.server) - server0) / count;
  const servicesCpu = (services() - services0) / count;
  const { byRoute } = ciCallsBetween(calls0, await counters());
  return {
    perSecond: count / seconds,
    workerClientCpuMsPerWorkflow: workerClient,
    serverCpuMsPerWorkflow: server,
    cpuMsPerWorkflow: workerClient + server,
    servicesCpuMsPerWorkflow: servicesCpu,
    completedByPoll: byPoll,
    ciCallsPerWorkflow: Object.fromEntries(Object.entries(byRoute).map(([route, n]) => [route, n / count])),
  };
}

async function transcribeRound(bench: BenchStack, count: number, pids: Pids): Promise<KindFigures> {
  const taskQueue = `bench-tp-${randomUUID()}`;
  const { services } = pids;
  const worker = await bench.startTranscriptionWorker(taskQueue, services.deps);
  const media = { Bucket: services.bucket, Region: services.region, Key: `bench/throughput-${randomUUID()}.wav` };
  await services.clients.objects.put(media, silentWav(1), 'audio/wav');
  try {
    return await measure(count, pids, (i) =>
      bench.stack.client.workflow.start(transcribeMedia, {
        taskQueue,
        workflowId: `${taskQueue}-${i}`,
        args: [benchInput(media.Key, `asr/${taskQueue}/${i}.txt`, { polling: { firstDelay: FALLBACK_POLL } })],
      }),
    );
  } finally {
    await worker.stop();
  }
}

async function baselineRound(bench: BenchStack, count: number, jobMs: number, pids: Pids) {
  const taskQueue = `bench-base-${randomUUID()}`;
  const worker = await bench.startBaselineWorker(taskQueue);
  try {
    return await measure(count, pids, (i) =>
      bench.stack.client.workflow.start(baselineJob, { taskQueue, workflowId: `${taskQueue}-${i}`, args: [jobMs] }),
    );
  } finally {
    await worker.stop();
  }
}

function mean(rounds: readonly KindFigures[]): KindFigures {
  const avg = (pick: (k: KindFigures) => number) => rounds.reduce((sum, k) => sum + pick(k), 0) / rounds.length;
  return {
    perSecond: avg((k) => k.perSecond),
    workerClientCpuMsPerWorkflow: avg((k) => k.workerClientCpuMsPerWorkflow),
    serverCpuMsPerWorkflow: avg((k) => k.serverCpuMsPerWorkflow),
    cpuMsPerWorkflow: avg((k) => k.cpuMsPerWorkflow),
    servicesCpuMsPerWorkflow: avg((k) => k.servicesCpuMsPerWorkflow),
    completedByPoll: rounds.reduce((sum, k) => sum + k.completedByPoll, 0),
    // Per route, over the rounds (a route missing from a round counts 0 there).
    ciCallsPerWorkflow: Object.fromEntries(
      [...new Set(rounds.flatMap((k) => Object.keys(k.ciCallsPerWorkflow)))].map((route) => [
        route,
        avg((k) => k.ciCallsPerWorkflow[route] ?? 0),
      ]),
    ),
  };
}

/**
 * `count` concurrent `transcribeMedia` runs on the callback path against `count` baseline runs whose fake job lasts
 * as long as an emulated one (`jobMs`), alternating kinds for `rounds` rounds each (A B B A ...) so that neither kind
 * always runs on the fuller database or the busier moment; a small warm-up of each comes first. The emulator and the
 * receiver run in processes of their own, so the CPU compared is that of the worker, the client (this process) and
 * the Temporal server only.
 */
export async function runThroughput(bench: BenchStack, count: number, jobMs: number, rounds = 2) {
  const server = devServerPid(bench.stack.temporal.address);
  const services = await startServiceProcesses({
    temporal: bench.stack.temporal,
    jobMs,
    queueConcurrency: 10_000,
  });
  const pids: Pids = { server, services };
  try {
    await baselineRound(bench, 20, jobMs, pids);
    await transcribeRound(bench, 20, pids);
    const transcribe: KindFigures[] = [];
    const baseline: KindFigures[] = [];
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['baseline', 'transcribe'] : ['transcribe', 'baseline'];
      for (const kind of order) {
        progress(`throughput: round ${round + 1}, ${count} ${kind} workflows`);
        if (kind === 'baseline') baseline.push(await baselineRound(bench, count, jobMs, pids));
        else transcribe.push(await transcribeRound(bench, count, pids));
      }
    }
    if (bench.baselineErrors.length > 0) throw new Error(`baseline signals failed: ${String(bench.baselineErrors[0])}`);
    const ours = mean(transcribe);
    const base = mean(baseline);
    const result: ThroughputResult = {
      workflows: count,
      rounds,
      transcribe: ours,
      baseline: base,
      ratio: ours.perSecond / base.perSecond,
      cpuRatio: base.cpuMsPerWorkflow / ours.cpuMsPerWorkflow,
    };
    return result;
  } finally {
    await services.stop();
  }
}
