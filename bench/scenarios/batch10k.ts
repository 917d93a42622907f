import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentWav } from '../../src/emulator';
import type { BatchItemOutcome } from '../../src';
import { batchProgressQuery, transcribeBatch } from '../../src/workflows';
import type { BenchStack } from '../lib/bench-stack';
import { BENCH_RECOGNITION } from '../lib/bench-stack';
import type { ChildWorker } from '../lib/child-worker';
import { spawnWorker, waitForPoller } from '../lib/child-worker';
import type { ItemHistoryCost } from '../lib/batch-cost';
import { cpuMeter, itemHistoryCost } from '../lib/batch-cost';
import { ciCallsBetween } from '../lib/ci-calls';
import { mapPool } from '../lib/pool';
import { devServerPid } from '../lib/process-cpu';
import { progress } from '../lib/runtime';

/** How a batch run is set up: the quotas it must respect. */
export interface BatchBenchSettings {
  /** The configured concurrency cap (`ciConcurrency`) the emulator's peak is checked against. */
  ciConcurrency: number;
  /** `CI_SUBMITS_PER_SECOND` of the worker processes (the quota queue's rate limit). */
  submitsPerSecond: number;
  /** Share of submits the emulator answers `503 SlowDown` (they must be backed off, not fail items). */
  throttleShare: number;
}

/** One batch's figures. */
export interface BatchRunFigures {
  items: number;
  seconds: number;
  itemsPerSecond: number;
  /** Most CI jobs unfinished at once, counted by the emulator. */
  peakCiConcurrency: number;
  /** Seeded keys without an outcome in the manifest, or without a CI job. */
  lostItems: number;
  /** CI jobs beyond the first per input object. */
  duplicateJobs: number;
  failedItems: number;
  /** Events of the largest run of the batch workflow, and how many runs it took. */
  maxHistoryEvents: number;
  runs: number;
  /** Largest RSS of either worker process during the batch. */
  peakWorkerRssMb: number;
  /** Submits answered `503 SlowDown` (and retried). */
  throttledSubmits: number;
  /** CI API requests per item, by route. */
  ciCallsPerItem: Record<string, number>;
  /** CPU per item (ms) of the Temporal server, the two workers, and this process (emulator, receiver, client). */
  cpuMsPerItem: Record<string, number>;
  /** History events, workflow tasks and activities per item. */
  history: ItemHistoryCost;
}

/** The batch scenario's result: a small and a large batch on the same two worker processes. */
export interface BatchBenchResult {
  settings: BatchBenchSettings;
  small: BatchRunFigures;
  large: BatchRunFigures;
}

/** A tenth of a second of silence: 10,000 media objects stay a few MiB in the emulator. */
const MEDIA = silentWav(0.1);

async function runOneBatch(
  bench: BenchStack,
  taskQueue: string,
  workers: ChildWorker[],
  items: number,
  settings: BatchBenchSettings,
): Promise<BatchRunFigures> {
  const { stack } = bench;
  const emulator = stack.services.emulator;
  const bucket = stack.services.workerSettings.tencent.bucket;
  const folder = `bench/batch-${randomUUID()}`;
  const keys = Array.from({ length: items }, (_, i) => `${folder}/${String(i).padStart(5, '0')}.wav`);
  for (const key of keys) emulator.putObject(bucket, key, MEDIA);
  await fetch(`${emulator.url}/_emulator/reset-counters`, { method: 'POST' });
  emulator.setFaults({ routes: { 'POST /asr_jobs': { throttleShare: settings.throttleShare } } });
  let peakRss = 0;
  const sampler = setInterval(() => {
    for (const w of workers) if (!w.exited()) peakRss = Math.max(peakRss, w.rssMb());
  }, 500);
  const meter = cpuMeter({
    server: devServerPid(stack.temporal.address),
    ...Object.fromEntries(workers.map((w, i) => [`worker${i + 1}`, w.pid])),
  });
  const t0 = performance.now();
  try {
    const handle = await stack.client.workflow.start(transcribeBatch, {
      taskQueue,
      workflowId: `bench-batch-${randomUUID()}`,
      args: [
        {
          source: { prefix: `${folder}/` },
          recognition: BENCH_RECOGNITION,
          maxInFlight: 100,
          ciConcurrency: settings.ciConcurrency,
          maxItems: items,
          item: { polling: { firstDelay: '500ms', maxInterval: '2s' } },
        },
      ],
    });
    // One progress query at a time, and the last one awaited: none may still be retrying when the stack closes.
    let done = false;
    const ticker = (async () => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, 5_000));
        if (done) break;
        const p = await handle.query(batchProgressQuery).catch(() => undefined);
        if (!p) continue;
        progress(
          `batch ${items}: ${p.succeeded + p.failed}/${p.total} running ${p.running}/${p.concurrencyCap}` +
            ` ${p.itemsPerMinute ?? '-'}/min${p.waitingForQuota ? ` waiting for ${p.waitingForQuota}` : ''}`,
        );
      }
    })();
    const result = await handle.result().finally(() => (done = true));
    await ticker;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = meter();
    const counters = emulator.counters();
    const manifest = JSON.parse(
      (
        await stack.services.clients.objects.get({
          Bucket: result.manifestObject.bucket,
          Region: result.manifestObject.region,
          Key: result.manifestObject.key,
        })
      ).toString('utf8'),
    ) as { items: BatchItemOutcome[] };
    const outcomes = new Set(manifest.items.map((i) => i.key));
    const jobs = Object.entries(counters.jobsByInputObject).filter(([input]) => input.includes(`${folder}/`));
    const withJob = new Set(jobs.map(([input]) => input.slice(input.indexOf(folder))));
    const lost = keys.filter((k) => !outcomes.has(k) || !withJob.has(k)).length;
    const runs: { runId: string; events: number }[] = [];
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` })) {
      runs.push({ runId: run.runId, events: run.historyLength });
    }
    const largest = runs.reduce((a, b) => (b.events > a.events ? b : a));
    const eventsTotal = runs.reduce((sum, run) => sum + run.events, 0);
    const history = await itemHistoryCost(
      stack.client,
      {
        workflowId: handle.workflowId,
        firstRunId: handle.firstExecutionRunId,
        largestRunId: largest.runId,
        eventsTotal,
      },
      items,
    );
    const perItem = (value: number) => Math.round((value / items) * 100) / 100;
    const ci = ciCallsBetween({ ...counters, requests: {} }, counters);
    return {
      items,
      seconds: Math.round(seconds * 10) / 10,
      itemsPerSecond: Math.round((items / seconds) * 10) / 10,
      peakCiConcurrency: counters.peakActiveJobs,
      lostItems: lost,
      duplicateJobs: jobs.reduce((sum, [, n]) => sum + Math.max(0, n - 1), 0),
      failedItems: result.failed,
      maxHistoryEvents: largest.events,
      runs: runs.length,
      peakWorkerRssMb: Math.round(peakRss),
      throttledSubmits: counters.faultsInjected['POST /asr_jobs:throttle'] ?? 0,
      ciCallsPerItem: Object.fromEntries(Object.entries(ci.byRoute).map(([route, n]) => [route, perItem(n)])),
      cpuMsPerItem: Object.fromEntries(Object.entries(cpu).map(([name, ms]) => [name, Math.round(ms / items)])),
      history,
    };
  } finally {
    clearInterval(sampler);
    emulator.setFaults({ routes: {} });
  }
}

/**
 * A prefix batch of `smallItems`, then one of `largeItems`, through two `src/worker.ts` processes on one task queue
 * (both poll the quota queue with the same `CI_SUBMITS_PER_SECOND`), with a configured CI concurrency cap and a share
 * of submits throttled by the emulator.
 */
export async function runBatchBench(
  bench: BenchStack,
  smallItems: number,
  largeItems: number,
  settings: BatchBenchSettings,
): Promise<BatchBenchResult> {
  const { stack } = bench;
  const taskQueue = `bench-batch-${randomUUID()}`;
  const bundlePath = join(tmpdir(), `bench-bundle-${randomUUID()}.js`);
  writeFileSync(bundlePath, bench.transcriptionBundle.code);
  const env = {
    ...stack.workerEnv,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: bundlePath,
    CI_SUBMITS_PER_SECOND: String(settings.submitsPerSecond),
  };
  const workers = [spawnWorker(env), spawnWorker(env)];
  try {
    await mapPool(workers.length, 2, (i) =>
      waitForPoller(stack.client, stack.temporal.namespace, taskQueue, workers[i]!.pid),
    );
    progress(`batch of ${smallItems}`);
    const small = await runOneBatch(bench, taskQueue, workers, smallItems, settings);
    progress(`batch of ${smallItems}: ${JSON.stringify(small)}`);
    progress(`batch of ${largeItems}`);
    const large = await runOneBatch(bench, taskQueue, workers, largeItems, settings);
    return { settings, small, large };
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGTERM')));
    rmSync(bundlePath, { force: true });
  }
}
