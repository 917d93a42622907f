import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
import { bundleWorkflowCode, Runtime, Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../activities/deps';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../observability/worker-options';
import type { Tracing } from '../observability/tracing';
import { TencentCiAsrPlugin } from '../plugin/plugin';
import { assertNamespaceReady } from './namespace-check';

/** The path to give `workflowsPath` / `bundleWorkflowCode` for this package's workflows. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Options of {@link createTranscriptionWorker}. */
export interface TranscriptionWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (see {@link bundleTranscriptionWorkflows}); bundled on creation when absent. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Where workflow and activity spans go (see `startTracing`); default off. */
  tracing?: Tracing;
  /**
   * Check at start that the namespace has the `CiJobId`/`CiJobState` search attributes, and refuse to start (a
   * `ConfigError` naming the `temporal operator search-attribute create` command) when it does not. Default true.
   */
  checkNamespace?: boolean;
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
 * namespace has the search attributes the workflows set (see `checkNamespace`).
 */
export async function createTranscriptionWorker(options: TranscriptionWorkerOptions): Promise<Worker> {
  const namespace = options.namespace ?? 'default';
  if (options.checkNamespace !== false) {
    await assertNamespaceReady(options.connection, namespace, (reason) => {
      Runtime.instance().logger.warn('Could not check the namespace search attributes', { namespace, reason });
    });
  }
  return await Worker.create({
    // In-flight submits and polls get time to finish on SIGTERM, so a deploy does not cut a submit mid-request.
    shutdownGraceTime: '30s',
    ...options.workerOptions,
    connection: options.connection,
    namespace,
    taskQueue: options.taskQueue,
    // The same plugin users add to their own workers (recipe 2), so both paths get the activities and the
    // observability (metrics, span sink, activity spans) one way.
    plugins: [
      ...(options.workerOptions?.plugins ?? []),
      new TencentCiAsrPlugin({ deps: options.deps, ...(options.tracing ? { tracing: options.tracing } : {}) }),
    ],
    workflowBundle: options.workflowBundle ?? (await bundleTranscriptionWorkflows()),
  });
}
