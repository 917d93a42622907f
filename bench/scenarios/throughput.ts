import { randomUUID } from 'node:crypto';
import { transcribeMedia } from '../../src/workflows';
import { baselineJob } from '../baseline/workflows';
import type { BenchStack } from '../lib/bench-stack';
import { benchInput } from '../lib/bench-stack';
import { mapPool } from '../lib/pool';
import { progress } from '../lib/runtime';

/** Completed workflows per second for both kinds, measured one after the other on the same server. */
export interface ThroughputResult {
  workflows: number;
  transcribePerSecond: number;
  baselinePerSecond: number;
  ratio: number;
}

/** In-flight `start` calls; the workflows themselves all run at once. */
const START_CONCURRENCY = 50;

/** Starts `count` workflows as fast as the client allows and resolves when all completed; returns the rate. */
async function measure(count: number, start: (i: number) => Promise<{ result(): Promise<unknown> }>) {
  const t0 = performance.now();
  const handles = await mapPool(count, START_CONCURRENCY, start);
  await Promise.all(handles.map((handle) => handle.result()));
  return count / ((performance.now() - t0) / 1000);
}

async function transcribeRound(bench: BenchStack, count: number): Promise<number> {
  const taskQueue = `bench-tp-${randomUUID()}`;
  const worker = await bench.startTranscriptionWorker(taskQueue);
  const media = `bench/throughput-${randomUUID()}.wav`;
  bench.seedMedia(media);
  try {
    return await measure(count, (i) =>
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

async function baselineRound(bench: BenchStack, count: number, jobMs: number): Promise<number> {
  const taskQueue = `bench-base-${randomUUID()}`;
  const worker = await bench.startBaselineWorker(taskQueue);
  try {
    return await measure(count, (i) =>
      bench.stack.client.workflow.start(baselineJob, { taskQueue, workflowId: `${taskQueue}-${i}`, args: [jobMs] }),
    );
  } finally {
    await worker.stop();
  }
}

/**
 * `count` concurrent `transcribeMedia` runs on the callback path against `count` baseline runs whose fake job lasts
 * as long as an emulated one (`jobMs`). A small warm-up of each comes first so neither pays for JIT compilation.
 */
export async function runThroughput(bench: BenchStack, count: number, jobMs: number): Promise<ThroughputResult> {
  await baselineRound(bench, 20, jobMs);
  await transcribeRound(bench, 20);
  progress(`throughput: ${count} baseline workflows`);
  const baselinePerSecond = await baselineRound(bench, count, jobMs);
  progress(`throughput: ${count} transcribeMedia workflows`);
  const transcribePerSecond = await transcribeRound(bench, count);
  if (bench.baselineErrors.length > 0) throw new Error(`baseline signals failed: ${String(bench.baselineErrors[0])}`);
  return { workflows: count, transcribePerSecond, baselinePerSecond, ratio: transcribePerSecond / baselinePerSecond };
}
