#!/usr/bin/env node
/**
 * Worker process: `npm start`. Reads its configuration from the environment (see `--help`, README and
 * `.env.example`), runs the workflows and CI activities, exposes Prometheus metrics when asked, and drains gracefully
 * on SIGINT/SIGTERM (the SDK's `Runtime` owns those signals here).
 */
import { readFile } from 'node:fs/promises';
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { exitOnStartFailure, helpRequested } from './config/process-entry';
import { portClashOf } from './shared/listen';
import type { WorkerConfig } from './config/worker-config';
import { loadWorkerConfig, WORKER_HELP } from './config/worker-config';
import { WORKER_HISTOGRAM_BUCKETS } from './observability/metric-names';
import { startTracing } from './observability/tracing';
import { activityDepsFromConfig } from './worker-setup/activity-deps';
import { createQuotaWorker } from './worker-setup/quota-worker';
import { bundleTranscriptionWorkflows, createTranscriptionWorker } from './worker-setup/transcription-worker';

/** One JSON object per line, for log collectors. */
function logJsonLine(entry: LogEntry): void {
  const { level, message, meta, timestampNanos } = entry;
  const time = new Date(Number(timestampNanos / 1_000_000n)).toISOString();
  process.stdout.write(`${JSON.stringify({ time, level, message, ...meta })}\n`);
}

function installRuntime(config: WorkerConfig): void {
  try {
    installRuntimeWith(config);
  } catch (err) {
    const { metricsBindAddress } = config;
    const clash = metricsBindAddress && portClashOf(err, metricsBindAddress, 'worker metrics endpoint');
    throw clash ? clash.withSetting('WORKER_METRICS_BIND_ADDRESS') : err;
  }
}

function installRuntimeWith(config: WorkerConfig): void {
  Runtime.install({
    logger: new DefaultLogger(config.logLevel, logJsonLine),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(config.metricsBindAddress
        ? {
            metrics: {
              prometheus: {
                bindAddress: config.metricsBindAddress,
                histogramBucketOverrides: WORKER_HISTOGRAM_BUCKETS,
              },
            },
          }
        : {}),
    },
    shutdownSignals: ['SIGINT', 'SIGTERM'],
  });
}

async function loadWorkflowBundle(path: string | undefined): Promise<{ code: string }> {
  // A bundle built at image build time (`npm run build`) starts faster and cannot drift from the deployed code.
  if (path) return { code: await readFile(path, 'utf8') };
  return await bundleTranscriptionWorkflows();
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (helpRequested(argv)) return void process.stdout.write(WORKER_HELP);
  const config = loadWorkerConfig(process.env, argv);
  installRuntime(config);
  const { deps } = activityDepsFromConfig(config);
  // OTLP export when the standard OTEL_* variables ask for it; off otherwise.
  const tracing = startTracing({ serviceName: 'ci-asr-worker' });
  const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
  try {
    const worker = await createTranscriptionWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      // Every process of this worker serves the quota queue with submits (unless CI_SUBMITS_PER_SECOND=0 here, when
      // another one does), so lone runs submit there, spaced like batch items.
      deps: { ...deps, sharedSubmitQueue: true },
      tracing,
      workflowBundle: await loadWorkflowBundle(config.workflowBundlePath),
      workerOptions: {
        maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
        // Waiting runs cost little once evicted; the cache is what grows a worker's memory with open workflows.
        ...(config.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: config.maxCachedWorkflows }),
      },
    });
    // Batch items' admissions and lone runs' submits: Temporal enforces the quota queue's rate across all workers.
    const quota =
      config.ciSubmitsPerSecond > 0
        ? await createQuotaWorker({
            connection,
            namespace: config.temporal.namespace,
            taskQueue: config.taskQueue,
            submitsPerSecond: config.ciSubmitsPerSecond,
            deps,
            tracing,
          })
        : undefined;
    Runtime.instance().logger.info('Worker started', {
      taskQueue: config.taskQueue,
      namespace: config.temporal.namespace,
      ciEndpoint: config.tencent.endpoint ?? 'tencent-cloud',
      callbacks: config.callbacks ? 'on' : 'off (polling only)',
      ciSubmitsPerSecond: quota ? config.ciSubmitsPerSecond : 'not polled here',
    });
    // Resolve after SIGINT/SIGTERM once in-flight tasks have drained. If one worker fails, the other is shut down
    // (and drains) too, so the process exits with the real cause rather than a half-running worker.
    const workers = quota ? [worker, quota] : [worker];
    const stopOthers = (err: unknown): never => {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      throw err;
    };
    const results = await Promise.allSettled(workers.map((w) => w.run().catch(stopOthers)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  } finally {
    // A worker created but never run still holds the connection; closing then fails, and must not hide the cause.
    await connection.close().catch((err: unknown) => {
      Runtime.instance().logger.warn('Closing the Temporal connection failed', { error: (err as Error).message });
    });
    await tracing.shutdown();
  }
}

main().catch(exitOnStartFailure);
