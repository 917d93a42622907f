import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transcribeMedia } from '../../src/workflows';
import type { BenchStack } from '../lib/bench-stack';
import { benchInput } from '../lib/bench-stack';
import { spawnWorker, waitForPoller } from '../lib/child-worker';
import { mapPool, waitFor } from '../lib/pool';
import { progress } from '../lib/runtime';

/** Worker memory with many open workflows waiting on their CI jobs. */
export interface WorkerRssResult {
  waitingWorkflows: number;
  idleRssMb: number;
  rssMb: number;
  /** Seconds from the first start until every run was waiting. */
  startSeconds: number;
}

/** A queue the emulator holds paused: its jobs stay `Pause`, so no callback comes and the runs keep waiting. */
const HELD_QUEUE = 'bench-held-queue';

/**
 * Starts `count` `transcribeMedia` runs against a `src/worker.ts` child process, with their jobs held in a paused
 * CI queue and the first poll an hour away, waits until every run has its job id (search attribute `CiJobId`, set
 * in the workflow task that starts the wait), then reads the child's VmRSS (largest of three readings a second apart).
 */
export async function runWorkerRss(
  bench: BenchStack,
  count: number,
  nodeArgs: readonly string[] = [],
): Promise<WorkerRssResult> {
  const { stack } = bench;
  const taskQueue = `bench-rss-${randomUUID()}`;
  const bundlePath = join(tmpdir(), `bench-bundle-${randomUUID()}.js`);
  writeFileSync(bundlePath, bench.transcriptionBundle.code);
  stack.services.emulator.setFaults({ pausedQueues: [HELD_QUEUE] });
  const worker = spawnWorker(
    { ...stack.workerEnv, TEMPORAL_TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE_PATH: bundlePath },
    nodeArgs,
  );
  try {
    await waitForPoller(stack.client, stack.temporal.namespace, taskQueue, worker.pid);
    const idleRssMb = worker.rssMb();
    const media = `bench/rss-${randomUUID()}.wav`;
    bench.seedMedia(media);
    const t0 = performance.now();
    await mapPool(count, 64, (i) =>
      stack.client.workflow.start(transcribeMedia, {
        taskQueue,
        workflowId: `${taskQueue}-${i}`,
        args: [
          benchInput(media, `asr/${taskQueue}/${i}.txt`, { queueId: HELD_QUEUE, polling: { firstDelay: '1 hour' } }),
        ],
      }),
    );
    progress(`rss: ${count} started in ${Math.round(performance.now() - t0)} ms; waiting for all to wait`);
    const query = `TaskQueue = "${taskQueue}" AND CiJobId IS NOT NULL`;
    let waiting = 0;
    await waitFor(
      `${count} waiting runs`,
      async () => {
        if (worker.exited()) throw new Error(`worker exited: ${worker.stderrTail()}`);
        waiting = (await stack.client.workflow.count(query)).count;
        return waiting >= count;
      },
      8 * 60_000,
      1_000,
    );
    const startSeconds = (performance.now() - t0) / 1000;
    const readings: number[] = [];
    for (let i = 0; i < 3; i++) {
      readings.push(worker.rssMb());
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    return { waitingWorkflows: waiting, idleRssMb: idleRssMb, rssMb: Math.max(...readings), startSeconds };
  } finally {
    await worker.kill('SIGKILL');
    stack.services.emulator.setFaults({ pausedQueues: [] });
  }
}
