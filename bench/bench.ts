/**
 * `npm run bench`: starts its own Temporal dev server, CI emulator, callback receiver and workers, runs the scenarios,
 * prints a table and, as its last line, one JSON object with the figures. Sizes through the environment:
 * BENCH_WORKFLOWS (throughput, default 500), BENCH_JOB_MS (emulated job length, 200), BENCH_LATENCY_WORKFLOWS (200; half as many more run one at a time),
 * BENCH_POLL_WORKFLOWS (20), BENCH_POLL_SCALE (time compression of the 10-minute job, 30), BENCH_RSS_WORKFLOWS
 * (waiting runs actually started, 1500, in four steps; RSS at 10,000 is extrapolated unless this is 10000),
 * BENCH_RSS_HEAP_MB and BENCH_RSS_CACHED_WORKFLOWS (that worker's heap limit and workflow cache, 384 and 20),
 * BENCH_LATENCY_CONCURRENCY (callback-path runs in flight, 4), BENCH_FLOOD_SECONDS (receiverFlood, 10),
 * BENCH_FLOOD_CONCURRENCY (flooding clients, 16), BENCH_FLOOD_GENUINE (runs completing by callback meanwhile, 200),
 * BENCH_BATCH_ITEMS (10000) and BENCH_BATCH_SMALL (1000), BENCH_BATCH_CONCURRENCY (the batch's CI concurrency cap, 50),
 * BENCH_BATCH_SUBMITS_PER_SECOND (100). `npm run bench -- throughput`, `-- receiverFlood`, `-- batch10k` or
 * `-- workerRss` runs that scenario alone; `-- runCost` runs only the callback path (BENCH_LATENCY_WORKFLOWS runs) and
 * the time-compressed polling runs, for the per-run cost: history events and Temporal Cloud Actions.
 */
import { startBenchStack } from './lib/bench-stack';
import type { BenchWorkerOptions } from './lib/bench-stack';
import { installQuietRuntime, progress } from './lib/runtime';
import { batchFigures } from './batch-figures';
import { buildReport, runCostFigures } from './report-figures';
import { printTable } from './lib/report';
import { throughputFigures } from './throughput-figures';
import { runBatchBench } from './scenarios/batch10k';
import { runCallbackPath } from './scenarios/callback-latency';
import { runPolling } from './scenarios/polling';
import { receiverFloodReport, runReceiverFlood } from './scenarios/receiver-flood';
import { runThroughput } from './scenarios/throughput';
import type { RssWorkerTuning } from './scenarios/worker-rss';
import { runWorkerRss } from './scenarios/worker-rss';
import { exitOnDevStackFailure } from '../devstack/temporal-cli';

function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got ${raw})`);
  return value;
}

/** In-process worker settings for every scenario: the SDK's defaults. */
const WORKER_OPTIONS: BenchWorkerOptions = {};

/**
 * Tuning of the worker process in the RSS scenario. The SDK's default workflow cache is sized from the heap limit
 * (about 2,300 runs on a machine with a 4 GiB default heap); `WORKER_MAX_CACHED_WORKFLOWS` bounds the cache and a heap
 * limit bounds the garbage V8 keeps between collections. A cached run costs about 1.1 MiB of RSS here (measured: 20
 * cached ≈ 350 MiB, 40 ≈ 375, 100 ≈ 470 with 3,000 waiting), while a waiting run evicted from the cache costs next to
 * nothing: its next wake (a callback or a poll) replays its ~28 events. A worker that mostly holds waiting runs is
 * best served by a small cache, hence 20.
 */
function rssWorkerTuning(): RssWorkerTuning {
  return {
    env: { WORKER_MAX_CACHED_WORKFLOWS: String(sizeFromEnv('BENCH_RSS_CACHED_WORKFLOWS', 20)) },
    nodeArgs: [`--max-old-space-size=${sizeFromEnv('BENCH_RSS_HEAP_MB', 384)}`],
  };
}

/** Waiting runs the RSS figure is about. */
const RSS_TARGET = 10_000;

/** Scenarios `npm run bench -- <name>` can run alone. */
const ALONE = ['throughput', 'receiverFlood', 'batch10k', 'workerRss', 'runCost'] as const;

async function main(): Promise<void> {
  const started = performance.now();
  const wall = () => Math.round((performance.now() - started) / 1000);
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !(ALONE as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')} (known: ${ALONE.join(', ')})`);
  const sizes = {
    workflows: sizeFromEnv('BENCH_WORKFLOWS', 500),
    jobMs: sizeFromEnv('BENCH_JOB_MS', 200),
    latencyWorkflows: sizeFromEnv('BENCH_LATENCY_WORKFLOWS', 200),
    pollWorkflows: sizeFromEnv('BENCH_POLL_WORKFLOWS', 20),
    pollScale: sizeFromEnv('BENCH_POLL_SCALE', 30),
    rssWorkflows: sizeFromEnv('BENCH_RSS_WORKFLOWS', 1_500),
    latencyConcurrency: sizeFromEnv('BENCH_LATENCY_CONCURRENCY', 4),
    floodSeconds: sizeFromEnv('BENCH_FLOOD_SECONDS', 10),
    floodConcurrency: sizeFromEnv('BENCH_FLOOD_CONCURRENCY', 16),
    floodGenuine: sizeFromEnv('BENCH_FLOOD_GENUINE', 200),
    batchItems: sizeFromEnv('BENCH_BATCH_ITEMS', 10_000),
    batchSmall: sizeFromEnv('BENCH_BATCH_SMALL', 1_000),
    batchConcurrency: sizeFromEnv('BENCH_BATCH_CONCURRENCY', 50),
    batchSubmitsPerSecond: sizeFromEnv('BENCH_BATCH_SUBMITS_PER_SECOND', 100),
  };
  const runBatch = () =>
    runBatchBench(bench, sizes.batchSmall, sizes.batchItems, {
      ciConcurrency: sizes.batchConcurrency,
      submitsPerSecond: sizes.batchSubmitsPerSecond,
      throttleShare: 0.02,
    }).then(batchFigures);
  installQuietRuntime();
  progress('starting dev server, emulator, receiver');
  const bench = await startBenchStack(
    { services: { emulator: { timings: { queuedMs: 0, runningMs: sizes.jobMs }, queueConcurrency: 100_000 } } },
    WORKER_OPTIONS,
  );
  try {
    const flood = async () => {
      progress(`receiverFlood: one valid URL flooded for ${sizes.floodSeconds} s`);
      const result = await runReceiverFlood(bench, {
        seconds: sizes.floodSeconds,
        concurrency: sizes.floodConcurrency,
        genuine: sizes.floodGenuine,
      });
      return receiverFloodReport(result);
    };
    if (only.includes('receiverFlood')) {
      const report = await flood();
      printTable(report.rows);
      console.log(
        JSON.stringify({ receiverFlood: report.json, wallSeconds: Math.round((performance.now() - started) / 1000) }),
      );
      return;
    }
    if (only.includes('throughput')) {
      const throughput = throughputFigures(await runThroughput(bench, sizes.workflows, sizes.jobMs));
      printTable(throughput.rows);
      console.log(
        JSON.stringify({ ...throughput.json, wallSeconds: Math.round((performance.now() - started) / 1000) }),
      );
      return;
    }
    if (only.includes('batch10k')) {
      const batch = await runBatch();
      printTable(batch.rows);
      console.log(JSON.stringify({ ...batch.json, wallSeconds: Math.round((performance.now() - started) / 1000) }));
      return;
    }
    if (only.includes('runCost')) {
      const callbackPath = await runCallbackPath(bench, sizes.latencyWorkflows, sizes.latencyConcurrency);
      const polling = await runPolling(bench, sizes.pollWorkflows, sizes.pollScale);
      console.log(JSON.stringify({ ...runCostFigures(callbackPath, polling), wallSeconds: wall() }));
      return;
    }
    const steps = [1, 2, 3, 4].map((quarter) => Math.round((sizes.rssWorkflows * quarter) / 4));
    if (only.includes('workerRss')) {
      const rss = await runWorkerRss(bench, steps, RSS_TARGET, rssWorkerTuning());
      console.log(JSON.stringify({ workerRss: rss, wallSeconds: Math.round((performance.now() - started) / 1000) }));
      return;
    }
    progress('throughput');
    const throughput = await runThroughput(bench, sizes.workflows, sizes.jobMs);
    progress('callback path, one at a time');
    const sequential = await runCallbackPath(bench, Math.ceil(sizes.latencyWorkflows / 2), 1);
    progress(`callback path, ${sizes.latencyConcurrency} at a time`);
    const callbackPath = await runCallbackPath(bench, sizes.latencyWorkflows, sizes.latencyConcurrency);
    progress('polling without callbacks (time-compressed)');
    const polling = await runPolling(bench, sizes.pollWorkflows, sizes.pollScale);
    progress(`worker RSS with up to ${sizes.rssWorkflows} waiting workflows`);
    const rss = await runWorkerRss(bench, steps, RSS_TARGET, rssWorkerTuning());
    const receiverFlood = await flood();
    progress(`batches of ${sizes.batchSmall} and ${sizes.batchItems} items`);
    const batch = await runBatch();
    const report = buildReport({ sizes, callbackPath, sequential, throughput, polling, rss });
    printTable([...report.rows, ...receiverFlood.rows, ...batch.rows]);
    const wallSeconds = Math.round((performance.now() - started) / 1000);
    console.log(JSON.stringify({ ...report.json, receiverFlood: receiverFlood.json, ...batch.json, wallSeconds }));
  } finally {
    await bench.stop();
  }
}

main().catch(exitOnDevStackFailure);
