import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { ActivityRuntime } from '../activities/deps';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../observability/worker-options';
import type { Tracing } from '../observability/tracing';
import { TencentCiAsrPlugin } from '../plugin/plugin';

/** The path to give `workflowsPath` / `bundleWorkflowCode` for this package's workflows. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Options of {@link createTranscriptionWorker}. */
export interface TranscriptionWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  /** The activities' dependencies; `sharedSubmitQueue: true` when the caller's quota worker serves lone submits. */
  deps: ActivityRuntime;
  /** A prebuilt bundle (see {@link bundleTranscriptionWorkflows}); bundled on creation when absent. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Where workflow and activity spans go (see `startTracing`); default off. */
  tracing?: Tracing;
  /**
   * Check at start that the namespace has the `CiJobId`/`CiJobState` search attributes, and refuse to start (a
   * `ConfigError` naming the `temporal operator search-attribute create` command) when it does not. Default true.
   */
  checkNamespace?: boolean;
  /** Serve the `transcription` Nexus service too (the plugin's `nexus` option). Default false. */
  nexus?: boolean;
  /** Any other worker option (concurrency, identity, interceptors, ...). */
  workerOptions?: Omit<WorkerOptions, 'connection' | 'namespace' | 'taskQueue' | 'activities' | 'workflowBundle'>;
}

/** Prebuilds the workflow bundle once (about a second), for reuse by several workers or restarts. */
export async function bundleTranscriptionWorkflows(): Promise<{ code: string }> {
  const noop = (): void => undefined;
  const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
  return await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
    logger: quiet,
  });
}

/**
 * Creates a worker that runs this package's workflows and activities on `taskQueue`, after checking that the
 * namespace has the search attributes the workflows set (see `checkNamespace`). Internal (tests, bench, dev stack):
 * it runs no CI quota worker, so its callers can run their own with test settings (`createQuotaWorker`).
 */
export async function createTranscriptionWorker(options: TranscriptionWorkerOptions): Promise<Worker> {
  const namespace = options.namespace ?? 'default';
  return await Worker.create({
    // In-flight submits and polls get time to finish on SIGTERM, so a deploy does not cut a submit mid-request.
    shutdownGraceTime: '30s',
    ...options.workerOptions,
    connection: options.connection,
    namespace,
    taskQueue: options.taskQueue,
    // The same plugin users add to their own workers, so both paths get the namespace check, the activities and the
    // observability (metrics, span sink, activity spans) one way.
    plugins: [
      ...(options.workerOptions?.plugins ?? []),
      new TencentCiAsrPlugin({
        deps: options.deps,
        quotaWorker: false,
        checkSearchAttributes: options.checkNamespace !== false,
        nexus: options.nexus === true,
        ...(options.tracing ? { tracing: options.tracing } : {}),
      }),
    ],
    workflowBundle: options.workflowBundle ?? (await bundleTranscriptionWorkflows()),
  });
}
