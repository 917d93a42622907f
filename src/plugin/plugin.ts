import type { ClientInterceptors, ClientOptions, ClientPlugin } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { SimplePlugin } from '@temporalio/plugin';
import type {
  BundleOptions,
  BundlerPlugin,
  ReplayWorkerOptions,
  Worker,
  WorkerInterceptors,
  WorkerOptions,
  WorkerPlugin,
} from '@temporalio/worker';
import { Runtime } from '@temporalio/worker';
import { withStartChecks } from '../client/start-checks';
import { transcriptionServiceHandler } from '../nexus/handlers';
import { WORKFLOW_INTERCEPTOR_MODULES, withObservability } from '../observability/worker-options';
import type { Tracing } from '../observability/tracing';
import { TRACING_OFF } from '../observability/tracing';
import type { ActivitySource } from './activities';
import { lazyActivities, mergeActivities } from './activities';
import { PluginSetupError } from './errors';
import { assertNamespaceReady } from './namespace-check';
import type { OperatorConnection } from './namespace-check';
import { createQuotaWorker, DEFAULT_CI_SUBMITS_PER_SECOND, runWithQuotaWorker } from './quota-worker';
import { withDeploymentVersion } from './versioning';

/**
 * Options of {@link TencentCiAsrPlugin}: an activity source (for workers), the CI quota worker, the namespace and
 * start checks, and extra interceptors. `loadWorkerConfig(process.env)` is a valid value as it is.
 */
export interface TencentCiAsrPluginOptions extends ActivitySource {
  /**
   * Check the namespace's `CiJobId` and `CiJobState` Keyword search attributes: `Worker.create` rejects with a
   * `ConfigError` naming the command that registers them, and a client refuses the first start of
   * `transcribeMedia`/`transcribeBatch` with a `MissingSearchAttributesError` (one `ListSearchAttributes` call; not
   * refused when the call is not allowed).
   * @default true
   */
  checkSearchAttributes?: boolean;
  /**
   * Run the CI quota worker beside each worker (task queue `<taskQueue>-ci-quota`, same connection and namespace),
   * started and stopped with it. Batches take one admission per item from it, and lone runs submit there, so Temporal
   * spaces every CI submit of the task queue at `ciSubmitsPerSecond`. `false` when another process of the task queue
   * runs it (that process's plugin keeps the default); lone runs of this worker then submit on the main queue.
   * @default true
   */
  quotaWorker?: boolean;
  /**
   * CI submits per second across every worker of the task queue (Temporal enforces it on the quota queue); `0` runs
   * no quota worker here, like `quotaWorker: false`. `loadWorkerConfig` reads it from `CI_SUBMITS_PER_SECOND`.
   * @default 10
   */
  ciSubmitsPerSecond?: number;
  /** Interceptors composed after the user's own and this package's (tracing, auditing). */
  interceptors?: { worker?: WorkerInterceptors; client?: ClientInterceptors };
  /**
   * Where the worker's activity and workflow spans go (`startTracing()`); off by default. The business metrics
   * (`ci_asr_*`) and the workflow interceptors that report them are always added.
   */
  tracing?: Tracing;
  /**
   * Worker Versioning (docs/upgrading.md): the worker polls as this Worker Deployment Version
   * (`workerDeploymentOptions: { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' }`;
   * this package's workflows are `PINNED` by their own declaration), so each run finishes on the build it started on.
   * The CI quota worker always polls as the worker's version, however it was set. `loadWorkerConfig` reads it from
   * `TEMPORAL_WORKER_DEPLOYMENT_NAME` and `TEMPORAL_WORKER_BUILD_ID`. Unversioned when unset.
   */
  workerDeploymentVersion?: WorkerDeploymentVersion;
  /**
   * Serve the `transcription` Nexus service (`temporal-tencent-ci-asr/nexus`) on the worker's task queue, so workflows
   * in other namespaces, in any Temporal language, call `transcribe` and `transcribeBatch` through a Nexus endpoint
   * that targets this namespace and task queue (docs/nexus.md). `loadWorkerConfig` reads it from
   * `TENCENT_CI_ASR_NEXUS=1`.
   * @default false
   */
  nexus?: boolean;
}

/**
 * This package as a Temporal plugin, for `Worker.create({ plugins })`, `Worker.runReplayHistories({ plugins })`,
 * `bundleWorkflowCode({ plugins })` and `new Client({ plugins })`: the whole embedding of a worker.
 *
 * - Worker: checks that the namespace has the search attributes the workflows set (see `checkSearchAttributes`),
 *   adds this package's activities (from `deps`, or built once from `tencent`/`callbacks`) to the worker's own,
 *   refusing a name both define, appends `interceptors.worker`, adds this package's observability (business metrics,
 *   the workflow span sink, activity spans when `tracing` is on), and runs the CI quota worker with it (see
 *   `quotaWorker`): `worker.run()` starts both, and stops both when either stops or fails. With `nexus: true` it
 *   also serves the `transcription` Nexus service.
 * - Bundler and replay: append this package's workflow interceptor modules (tracing and metrics: a worker without them
 *   would draw other random numbers in the same workflow) and those of `interceptors.worker`; a prebuilt
 *   `workflowBundle` gets them only from `bundleWorkflowCode({ plugins })`. The user's `workflowsPath` or
 *   `workflowBundle` is never set or replaced: a TypeScript bundle is built from one module, so that module (yours)
 *   re-exports this package's workflows: `export * from 'temporal-tencent-ci-asr/workflows';`.
 * - Client: checks the input (and once, the namespace's search attributes) of every start of this package's
 *   workflows, however it is made, and appends `interceptors.client` (a client-only process can use the lighter
 *   `TencentCiAsrClientPlugin` from `temporal-tencent-ci-asr/client`).
 *
 * Without `deps` or `tencent` the plugin serves clients, bundles and replay only; `Worker.create` refuses it.
 */
export class TencentCiAsrPlugin implements ClientPlugin, WorkerPlugin, BundlerPlugin {
  readonly name = 'TencentCiAsrPlugin';
  /** Activities, interceptors and their merging as the SDK's own plugins do it; this class adds the rest. */
  private readonly simple: SimplePlugin;
  private readonly built: ReturnType<typeof lazyActivities>;
  private readonly submitsPerSecond: number;
  private readonly checkSearchAttributes: boolean;
  private readonly tracing: Tracing;
  private readonly deploymentVersion: WorkerDeploymentVersion | undefined;
  /** Main task queues whose namespace `configureWorker` could not check (no connection given: the SDK makes one). */
  private readonly uncheckedQueues = new Set<string>();

  constructor(options: TencentCiAsrPluginOptions = {}) {
    const submitsPerSecond =
      options.quotaWorker === false ? 0 : (options.ciSubmitsPerSecond ?? DEFAULT_CI_SUBMITS_PER_SECOND);
    if (!Number.isFinite(submitsPerSecond) || submitsPerSecond < 0) {
      // Refused here, not by the quota worker's creation inside `worker.run()`, after the main worker was created.
      throw new PluginSetupError(`ciSubmitsPerSecond must be 0 (no quota worker) or more, not ${submitsPerSecond}`);
    }
    const built = lazyActivities(options, submitsPerSecond > 0);
    const worker = options.interceptors?.worker;
    this.simple = new SimplePlugin({
      name: this.name,
      activities: (existing) => mergeActivities(existing, built().activities),
      workerInterceptors: {
        ...worker,
        workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...(worker?.workflowModules ?? [])],
      },
      clientInterceptors: options.interceptors?.client,
      ...(options.nexus === true ? { nexusServices: [transcriptionServiceHandler] } : {}),
    });
    this.built = built;
    this.submitsPerSecond = submitsPerSecond;
    this.checkSearchAttributes = options.checkSearchAttributes ?? true;
    this.tracing = options.tracing ?? TRACING_OFF;
    this.deploymentVersion = options.workerDeploymentVersion;
  }

  /**
   * Checks the namespace, then adds the activities, the metrics and span interceptors (outermost), the span sink the
   * bundled workflow interceptors report to, and the deployment version when one is set.
   */
  async configureWorker(options: WorkerOptions): Promise<WorkerOptions> {
    const versioned = withDeploymentVersion(options, this.deploymentVersion);
    if (options.connection) await this.checkNamespace(options.connection, options.namespace);
    else this.uncheckedQueues.add(options.taskQueue);
    return withObservability(dedupeWorkflowModules(this.simple.configureWorker(versioned)), this.tracing);
  }

  /** Replay needs the span sink too: the bundled workflow interceptors look it up. */
  configureReplayWorker(options: ReplayWorkerOptions): ReplayWorkerOptions {
    const configured = dedupeWorkflowModules(this.simple.configureReplayWorker(options));
    return { ...configured, sinks: { ...configured.sinks, ...withObservability({}, this.tracing).sinks } };
  }

  /** Adds this package's workflow interceptor modules (and those of `interceptors.worker`) to a bundle. */
  configureBundler(options: BundleOptions): BundleOptions {
    return this.simple.configureBundler(options);
  }

  /** Adds the start checks innermost: after the user's interceptors and `interceptors.client`, just before the request. */
  configureClient(options: ClientOptions): ClientOptions {
    return withStartChecks(this.simple.configureClient(options), this.checkSearchAttributes);
  }

  /**
   * Runs the worker with its CI quota worker (same connection, namespace and deployment version), unless this plugin
   * runs none.
   */
  async runWorker(worker: Worker, next: (w: Worker) => Promise<void>): Promise<void> {
    const { taskQueue, namespace } = worker.options;
    const { connection } = worker;
    if (connection && this.uncheckedQueues.delete(taskQueue)) await this.checkNamespace(connection, namespace);
    if (!connection || this.submitsPerSecond === 0) return await next(worker);
    const quota = await createQuotaWorker({
      connection,
      namespace,
      taskQueue,
      submitsPerSecond: this.submitsPerSecond,
      deps: this.built().deps,
      tracing: this.tracing,
      workerDeploymentOptions: worker.options.workerDeploymentOptions,
    });
    await runWithQuotaWorker(worker, () => next(worker), quota);
  }

  private async checkNamespace(connection: OperatorConnection, namespace = 'default'): Promise<void> {
    if (!this.checkSearchAttributes) return;
    await assertNamespaceReady(connection, namespace, (reason) => {
      Runtime.instance().logger.warn('Could not check the namespace search attributes', { namespace, reason });
    });
  }
}

/** A user who also lists this package's interceptor modules gets each once: twice would run every interceptor twice. */
function dedupeWorkflowModules<T extends Pick<WorkerOptions, 'interceptors'>>(options: T): T {
  const modules = options.interceptors?.workflowModules;
  if (!modules) return options;
  return { ...options, interceptors: { ...options.interceptors, workflowModules: [...new Set(modules)] } };
}
