/**
 * `npm run chaos`: first the money phases of issue 25, each on a worker that is not killed: submits throttled near the
 * deadline, cancels after CI finished, manifest writes refused for a while, batch items terminated from outside, a
 * batch re-run under the same id, and a worker whose credential fetch is sometimes slower than an attempt
 * (docs/benchmarks.md). Then `transcribeMedia` runs against a `src/worker.ts` child process that is SIGKILLed and
 * restarted at random, with the emulator injecting 5xx, throttling, latency, lost submit responses and dropped,
 * duplicated, early, delayed and reordered callbacks, and strict queue ids (every third run names an extra queue); a
 * second phase also restarts the Temporal dev server twice (same port, same `--db-filename`) mid-flight. Throughout,
 * STS tokens expire early and get revoked while a "platform" rewrites the worker's token file. CI starts jobs at once
 * (queue time 0), so late duplicates cannot be cancelled and must be recorded; every tenth run has no callback and its
 * first poll after its deadline, so only the check at the deadline finds its result. Then checks every run at the
 * source (the emulator's jobs for its media, the object store: `orphanedJobs`, `unrecordedDuplicateJobs`,
 * `successesLost`, the batches' manifests) and scans every history for secrets.
 * Last line: one JSON object; exits 1 unless every figure that must be 0 is (worker crashes included). Sizes:
 * CHAOS_WORKFLOWS (phase 1, default 200), CHAOS_RESTART_WORKFLOWS (phase 2, default 100), CHAOS_MONEY_RUNS (runs per
 * money phase, default 10), CHAOS_BATCHES (batches per batch phase, default 2); 0 skips a phase. Failed runs'
 * verdicts and histories are kept in `bench/out/chaos-failures/<time>/` (CHAOS_FAILURES_DIR), since the server's
 * database is deleted at the end.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../devstack/free-port';
import { startLocalStack } from '../devstack/local-stack';
import {
  exitOnDevStackFailure,
  findTemporalCli,
  TEMPORAL_CLI_INSTALL_HINT,
  TemporalCliError,
} from '../devstack/temporal-cli';
import { bundleTranscriptionWorkflows } from '../src/worker-setup/transcription-worker';
import { TokenRotator } from './chaos/credentials';
import { ChaosTemporal } from './chaos/temporal';
import { runChaosPhases } from './chaos/run';
import { installQuietRuntime, progress } from './lib/runtime';

function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number (got ${raw})`);
  return value;
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const sizes = {
    phase1: sizeFromEnv('CHAOS_WORKFLOWS', 200),
    phase2: sizeFromEnv('CHAOS_RESTART_WORKFLOWS', 100),
    money: { runs: sizeFromEnv('CHAOS_MONEY_RUNS', 10), batches: sizeFromEnv('CHAOS_BATCHES', 2) },
  };
  installQuietRuntime();
  const cli = findTemporalCli();
  if (!cli)
    throw new TemporalCliError(
      `npm run chaos needs the temporal CLI to restart the server. ${TEMPORAL_CLI_INSTALL_HINT}`,
    );
  const dbFilename = join(tmpdir(), `chaos-${randomUUID()}.db`);
  const temporal = new ChaosTemporal(cli, await findFreePort(), dbFilename);
  const bundlePath = join(tmpdir(), `chaos-bundle-${randomUUID()}.js`);
  const rotator = new TokenRotator();
  const queueId = `p${randomUUID().replace(/-/g, '')}`;
  try {
    await temporal.start();
    progress(`chaos: Temporal dev server ${temporal.address} (db ${dbFilename})`);
    const stack = await startLocalStack({
      temporal: { address: temporal.address },
      workers: 0,
      // Queue time 0: CI starts jobs at once (it does within seconds), so a late duplicate can no longer be
      // cancelled and must be recorded instead.
      services: {
        credentialsFile: rotator.path,
        emulator: {
          timings: { queuedMs: 0, runningMs: 1_500 },
          queueConcurrency: 20,
          temporaryCredentials: [rotator.first],
          queues: [{ queueId }],
        },
      },
    });
    try {
      const bundle = await bundleTranscriptionWorkflows();
      writeFileSync(bundlePath, bundle.code);
      const summary = await runChaosPhases({ stack, temporal, bundle, bundlePath, sizes, rotator, queueId });
      const wallSeconds = Math.round((performance.now() - startedAt) / 1000);
      console.log(JSON.stringify({ ...summary, wallSeconds }));
      if (!summary.pass) process.exitCode = 1;
    } finally {
      await stack.stop();
    }
  } finally {
    await temporal.stop();
    rmSync(bundlePath, { force: true });
    rotator.remove();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFilename}${suffix}`, { force: true });
  }
}

main().catch(exitOnDevStackFailure);
