#!/usr/bin/env node
/**
 * Worker process: `npm start`. Reads its configuration from the environment (see `--help`, README and
 * `.env.example`), runs the workflows and CI activities, exposes Prometheus metrics when asked, and drains gracefully
 * on SIGINT/SIGTERM (the SDK's `Runtime` owns those signals here).
 */
import { readFile } from 'node:fs/promises';
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { LogEntry } from '@temporalio/worker';
import { exitOnStartFailure, helpRequested } from './config/process-entry';
import { portClashOf } from './shared/listen';
import type { WorkerConfig } from './config/worker-config';
import { loadWorkerConfig, WORKER_HELP } from './config/worker-config';
import { WORKER_HISTOGRAM_BUCKETS } from './observability/metric-names';
import { startTracing } from './observability/tracing';
import { TencentCiAsrPlugin } from './plugin/plugin';
import { bundleTranscriptionWorkflows } from './worker-setup/transcription-worker';

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
  // OTLP export when the standard OTEL_* variables ask for it; off otherwise.
  const tracing = startTracing({ serviceName: 'ci-asr-worker' });
  const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
  try {
    // The plugin is the whole embedding, as in a user's worker: namespace check, activities, observability and the CI
    // quota worker (unless CI_SUBMITS_PER_SECOND=0 here), started and stopped with this worker, and the deployment
    // version (TEMPORAL_WORKER_DEPLOYMENT_NAME/BUILD_ID) both poll as when Worker Versioning is on.
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      workflowBundle: await loadWorkflowBundle(config.workflowBundlePath),
      plugins: [new TencentCiAsrPlugin({ ...config, tracing })],
      // In-flight submits and polls get time to finish on SIGTERM, so a deploy does not cut a submit mid-request.
      shutdownGraceTime: '30s',
      maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
      // Waiting runs cost little once evicted; the cache is what grows a worker's memory with open workflows.
      ...(config.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: config.maxCachedWorkflows }),
    });
    Runtime.instance().logger.info('Worker started', {
      taskQueue: config.taskQueue,
      namespace: config.temporal.namespace,
      ciEndpoint: config.tencent.endpoint ?? 'tencent-cloud',
      callbacks: config.callbacks ? 'on' : 'off (polling only)',
      ciSubmitsPerSecond: config.ciSubmitsPerSecond > 0 ? config.ciSubmitsPerSecond : 'not polled here',
      workerDeploymentVersion: config.workerDeploymentVersion ?? 'unversioned',
      nexusService: config.nexus ? 'transcription' : 'off',
    });
    // Resolves after SIGINT/SIGTERM once in-flight tasks (of the quota worker too) have drained.
    await worker.run();
  } finally {
    // A worker created but never run still holds the connection; closing then fails, and must not hide the cause.
    await connection.close().catch((err: unknown) => {
      Runtime.instance().logger.warn('Closing the Temporal connection failed', { error: (err as Error).message });
    });
    await tracing.shutdown();
  }
}

main().catch(exitOnStartFailure);
