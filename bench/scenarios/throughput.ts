import { randomUUID } from 'node:crypto';
import { transcribeMedia } from '../../src/workflows';
import { baselineJob } from '../baseline/workflows';
import type { BenchStack } from '../lib/bench-stack';
import { benchInput } from '../lib/bench-stack';
import { mapPool } from '../lib/pool';
import { findPid, processCpuMs, selfCpuMs } from '../lib/process-cpu';
import { progress } from '../lib/runtime';

/** Rate and CPU cost of one kind of workflow, averaged over its rounds. */
export interface KindFigures {
  perSecond: number;
  /** CPU of this process (worker, client, emulator, receiver) per workflow, ms. */
  benchCpuMsPerWorkflow: number;
  /** CPU of the Temporal dev server per workflow, ms. */
  serverCpuMsPerWorkflow: number;
}

/** Completed workflows per second for both kinds on the same server. */
export interface ThroughputResult {
  workflows: number;
  rounds: number;
  transcribe: KindFigures;
  baseline: KindFigures;
  ratio: number;
}

/** In-flight `start` calls; the workflows themselves all run at once. */
const START_CONCURRENCY = 50;

type Start = (i: number) => Promise<{ result(): Promise<unknown> }>;

/** Starts `count` workflows as fast as the client allows, waits for all, and returns rate and CPU per workflow. */
async function measure(count: number, serverPid: number | undefined, start: Start): Promise<KindFigures> {
  const cpu0 = selfCpuMs();
  const server0 = processCpuMs(serverPid);
  const t0 = performance.now();
  const handles = await mapPool(count, START_CONCURRENCY, start);
  await Promise.all(handles.map((handle) => handle.result()));
  return {
    perSecond: count / ((performance.now() - t0) / 1000),
    benchCpuMsPerWorkflow: (selfCpuMs() - cpu0) / count,
    serverCpuMsPerWorkflow: (processCpuMs(serverPid) - server0) / count,
  };
}

async function transcribeRound(bench: BenchStack, count: number, serverPid?: number): Promise<KindFigures> {
  const taskQueue = `bench-tp-${randomUUID()}`;
  const worker = await bench.startTranscriptionWorker(taskQueue);
  const media = `bench/throughput-${randomUUID()}.wav`;
  bench.seedMedia(media);
  try {
    return await measure(count, serverPid, (i) =>
      bench.stack.client.workflow.start(transcribeMedia, {
        taskQueue,
        workflowId: `${taskQueue}-${i}`,
        args: [benchInput(media, `asr/${taskQueue}/${i}.txt`, { polling: { firstDelay: '1 hour' } })],
      }),
    );
  } finally {
    await worker.stop();
  }
}

async function baselineRound(bench: BenchStack, count: number, jobMs: number, serverPid?: number) {
  const taskQueue = `bench-base-${randomUUID()}`;
  const worker = await bench.startBaselineWorker(taskQueue);
  try {
    return await measure(count, serverPid, (i) =>
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
    benchCpuMsPerWorkflow: avg((k) => k.benchCpuMsPerWorkflow),
    serverCpuMsPerWorkflow: avg((k) => k.serverCpuMsPerWorkflow),
  };
}

/**
 * `count` concurrent `transcribeMedia` runs on the callback path against `count` baseline runs whose fake job lasts
 * as long as an emulated one (`jobMs`), alternating kinds for `rounds` rounds each (A B B A ...) so that neither kind
 * always runs on the fuller database or the busier moment; a small warm-up of each comes first.
 */
export async function runThroughput(bench: BenchStack, count: number, jobMs: number, rounds = 2) {
  const serverPid = findPid(['start-dev', `--port ${bench.stack.temporal.address.split(':').at(-1)}`]);
  await baselineRound(bench, 20, jobMs);
  await transcribeRound(bench, 20);
  const transcribe: KindFigures[] = [];
  const baseline: KindFigures[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['baseline', 'transcribe'] : ['transcribe', 'baseline'];
    for (const kind of order) {
      progress(`throughput: round ${round + 1}, ${count} ${kind} workflows`);
      if (kind === 'baseline') baseline.push(await baselineRound(bench, count, jobMs, serverPid));
      else transcribe.push(await transcribeRound(bench, count, serverPid));
    }
  }
  if (bench.baselineErrors.length > 0) throw new Error(`baseline signals failed: ${String(bench.baselineErrors[0])}`);
  const result: ThroughputResult = {
    workflows: count,
    rounds,
    transcribe: mean(transcribe),
    baseline: mean(baseline),
    ratio: 0,
  };
  result.ratio = result.transcribe.perSecond / result.baseline.perSecond;
  return result;
}
