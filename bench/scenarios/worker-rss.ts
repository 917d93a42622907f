import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transcribeMedia } from '../../src/workflows';
import type { BenchStack } from '../lib/bench-stack';
import { benchInput } from '../lib/bench-stack';
import type { ChildWorker } from '../lib/child-worker';
import { spawnWorker, waitForPoller } from '../lib/child-worker';
import { mapPool, waitFor } from '../lib/pool';
import { progress } from '../lib/runtime';

/** Worker memory with many open workflows waiting on their CI jobs. */
export interface WorkerRssResult {
  /** Extra environment and Node flags the worker process ran with. */
  tuning: RssWorkerTuning;
  idleRssMb: number;
  /** (waiting runs, RSS MiB) after each step. */
  points: { waiting: number; rssMb: number; seconds: number }[];
  /**
   * RSS at `target` waiting runs: measured when the last step reached it, else read off a least-squares line through
   * the steps (never below the last reading).
   */
  rssMbAtTarget: number;
  target: number;
  extrapolated: boolean;
}

/** How the measured worker process is tuned: extra environment (e.g. `WORKER_MAX_CACHED_WORKFLOWS`) and Node flags. */
export interface RssWorkerTuning {
  env: Record<string, string>;
  nodeArgs: readonly string[];
}

/** A queue the emulator holds paused: its jobs stay `Pause`, so no callback comes and the runs keep waiting. */
const HELD_QUEUE = 'bench-held-queue';

/** Median of five VmRSS readings half a second apart (RSS moves with garbage collection). */
async function settledRss(worker: ChildWorker): Promise<number> {
  const readings: number[] = [];
  for (let i = 0; i < 5; i++) {
    readings.push(worker.rssMb());
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return readings.sort((a, b) => a - b)[2]!;
}

/** Value at `x` of the least-squares line through `points`. */
function fitAt(points: readonly { waiting: number; rssMb: number }[], x: number): number {
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.waiting, 0) / n;
  const my = points.reduce((sum, p) => sum + p.rssMb, 0) / n;
  const sxy = points.reduce((sum, p) => sum + (p.waiting - mx) * (p.rssMb - my), 0);
  const sxx = points.reduce((sum, p) => sum + (p.waiting - mx) ** 2, 0);
  return my + (sxx > 0 ? sxy / sxx : 0) * (x - mx);
}

/** Starts runs `from`..`to`-1 and waits until all `to` have their job id (set in the task that starts the wait). */
async function fillTo(bench: BenchStack, worker: ChildWorker, taskQueue: string, from: number, to: number) {
  const { client } = bench.stack;
  const media = `bench/rss-${randomUUID()}.wav`;
  bench.seedMedia(media);
  await mapPool(to - from, 64, (i) =>
    client.workflow.start(transcribeMedia, {
      taskQueue,
      workflowId: `${taskQueue}-${from + i}`,
      args: [
        benchInput(media, `asr/${taskQueue}/${from + i}.txt`, {
          queueId: HELD_QUEUE,
          polling: { firstDelay: '1 hour' },
        }),
      ],
    }),
  );
  const query = `TaskQueue = "${taskQueue}" AND CiJobId IS NOT NULL`;
  await waitFor(
    `${to} waiting runs`,
    async () => {
      if (worker.exited()) throw new Error(`worker exited: ${worker.stderrTail()}`);
      return (await client.workflow.count(query)).count >= to;
    },
    8 * 60_000,
    1_000,
  );
}

/**
 * Runs a `src/worker.ts` child process and fills it, step by step, with `transcribeMedia` runs whose jobs are held in
 * a paused CI queue (first poll an hour away), reading VmRSS once every run of a step waits. When the last step is
 * below `target`, RSS at `target` is extrapolated along the least-squares line through the steps.
 */
export async function runWorkerRss(
  bench: BenchStack,
  steps: readonly number[],
  target: number,
  tuning: RssWorkerTuning,
): Promise<WorkerRssResult> {
  const { stack } = bench;
  const taskQueue = `bench-rss-${randomUUID()}`;
  const bundlePath = join(tmpdir(), `bench-bundle-${randomUUID()}.js`);
  writeFileSync(bundlePath, bench.transcriptionBundle.code);
  stack.services.emulator.addQueue(undefined, HELD_QUEUE);
  stack.services.emulator.setFaults({ pausedQueues: [HELD_QUEUE] });
  // Lone runs submit through the CI quota queue (10/s by default): filling thousands of runs must not wait for it.
  const env = {
    ...stack.workerEnv,
    CI_SUBMITS_PER_SECOND: '1000',
    ...tuning.env,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: bundlePath,
  };
  const worker = spawnWorker(env, tuning.nodeArgs);
  try {
    await waitForPoller(stack.client, stack.temporal.namespace, taskQueue, worker.pid);
    const idleRssMb = await settledRss(worker);
    const points: WorkerRssResult['points'] = [];
    const t0 = performance.now();
    let waiting = 0;
    for (const step of steps) {
      await fillTo(bench, worker, taskQueue, waiting, step);
      waiting = step;
      const seconds = (performance.now() - t0) / 1000;
      points.push({ waiting, rssMb: await settledRss(worker), seconds });
      progress(`rss: ${waiting} waiting after ${Math.round(seconds)} s: ${Math.round(points.at(-1)!.rssMb)} MiB`);
    }
    const last = points.at(-1)!;
    const extrapolated = last.waiting < target;
    const rssMbAtTarget = extrapolated ? Math.max(last.rssMb, fitAt(points, target)) : last.rssMb;
    return { tuning, idleRssMb, points, rssMbAtTarget, target, extrapolated };
  } finally {
    await worker.kill('SIGKILL');
    stack.services.emulator.setFaults({ pausedQueues: [] });
    rmSync(bundlePath, { force: true });
  }
}
