/**
 * `npm run bench`: starts its own Temporal dev server, CI emulator, callback receiver and workers, runs the scenarios,
 * prints a table and, as its last line, one JSON object with the figures. Sizes through the environment:
 * BENCH_WORKFLOWS (throughput, default 500), BENCH_JOB_MS (emulated job length, 200), BENCH_LATENCY_WORKFLOWS (200),
 * BENCH_POLL_WORKFLOWS (20), BENCH_POLL_SCALE (time compression of the 10-minute job, 100), BENCH_RSS_WORKFLOWS (10000).
 */
import { startBenchStack } from './lib/bench-stack';
import type { BenchWorkerOptions } from './lib/bench-stack';
import { installQuietRuntime, progress } from './lib/runtime';
import { buildReport } from './report-figures';
import { printTable } from './lib/report';
import { runCallbackPath } from './scenarios/callback-latency';
import { runPolling } from './scenarios/polling';
import { runThroughput } from './scenarios/throughput';
import { runWorkerRss } from './scenarios/worker-rss';

function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got ${raw})`);
  return value;
}

/** In-process worker settings for every scenario (the RSS scenario runs the real worker process with its defaults). */
const WORKER_OPTIONS: BenchWorkerOptions = {};

async function main(): Promise<void> {
  const started = performance.now();
  const sizes = {
    workflows: sizeFromEnv('BENCH_WORKFLOWS', 500),
    jobMs: sizeFromEnv('BENCH_JOB_MS', 200),
    latencyWorkflows: sizeFromEnv('BENCH_LATENCY_WORKFLOWS', 200),
    pollWorkflows: sizeFromEnv('BENCH_POLL_WORKFLOWS', 20),
    pollScale: sizeFromEnv('BENCH_POLL_SCALE', 100),
    rssWorkflows: sizeFromEnv('BENCH_RSS_WORKFLOWS', 10_000),
  };
  installQuietRuntime();
  progress('starting dev server, emulator, receiver');
  const bench = await startBenchStack(
    { services: { emulator: { timings: { queuedMs: 0, runningMs: sizes.jobMs }, queueConcurrency: 100_000 } } },
    WORKER_OPTIONS,
  );
  try {
    progress('callback path');
    const callbackPath = await runCallbackPath(bench, sizes.latencyWorkflows, 10);
    progress('throughput');
    const throughput = await runThroughput(bench, sizes.workflows, sizes.jobMs);
    progress('polling without callbacks (time-compressed)');
    const polling = await runPolling(bench, sizes.pollWorkflows, sizes.pollScale);
    progress(`worker RSS with ${sizes.rssWorkflows} waiting workflows`);
    const rss = await runWorkerRss(bench, sizes.rssWorkflows);
    const report = buildReport({ sizes, callbackPath, throughput, polling, rss });
    printTable(report.rows);
    console.log(JSON.stringify({ ...report.json, wallSeconds: Math.round((performance.now() - started) / 1000) }));
  } finally {
    await bench.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
