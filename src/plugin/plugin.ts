import type { ClientInterceptors, ClientOptions } from '@temporalio/client';
import { SimplePlugin } from '@temporalio/plugin';
import type { ReplayWorkerOptions, WorkerInterceptors, WorkerOptions } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, withObservability } from '../observability/worker-options';
import type { Tracing } from '../observability/tracing';
import { TRACING_OFF } from '../observability/tracing';
import type { ActivitySource } from './activities';
import { lazyActivities, mergeActivities } from './activities';
import { PluginSetupError } from './errors';
import { startChecksInterceptor } from './start-checks';

/** Options of {@link TencentCiAsrPlugin}: an activity source (for workers), start checks and extra interceptors. */
export interface TencentCiAsrPluginOptions extends ActivitySource {
  /**
   * Before the first start of `transcribeMedia`/`transcribeBatch` through a client with this plugin, check that the
   * namespace has the `CiJobId` and `CiJobState` Keyword search attributes (one `ListSearchAttributes` call per
   * client; skipped when the call is not allowed).
   * @default true
   */
  checkSearchAttributes?: boolean;
  /** Interceptors composed after the user's own and this package's (tracing, auditing). */
  interceptors?: { worker?: WorkerInterceptors; client?: ClientInterceptors };
  /**
   * Where the worker's activity and workflow spans go (`startTracing()`); off by default. The business metrics
   * (`ci_asr_*`) and the workflow interceptors that report them are always added, as `createTranscriptionWorker` does.
   */
  tracing?: Tracing;
}

/**
 * This package as a Temporal plugin, for `Worker.create({ plugins })`, `Worker.runReplayHistories({ plugins })`,
 * `bundleWorkflowCode({ plugins })` and `new Client({ plugins })`.
 *
 * - Worker: adds this package's activities (from `deps`, or built once from `tencent`/`callbacks`) to the worker's own
 *   `activities`, refusing a name both define, appends `interceptors.worker`, and adds this package's observability
 *   (business metrics, the workflow span sink, activity spans when `tracing` is on) like `createTranscriptionWorker`.
 * - Bundler and replay: append this package's workflow interceptor modules (tracing and metrics: a worker without them
 *   would draw other random numbers in the same workflow) and those of `interceptors.worker`; a prebuilt
 *   `workflowBundle` gets them only from `bundleWorkflowCode({ plugins })`. The user's `workflowsPath` or `workflowBundle` is never
 *   set or replaced: a TypeScript bundle is built from one module, so that module (yours) re-exports this package's
 *   workflows: `export * from 'temporal-tencent-ci-asr/workflows';`.
 * - Client: checks the input (and once, the namespace's search attributes) of every start of this package's
 *   workflows, however it is made, and appends `interceptors.client`.
 *
 * Without `deps` or `tencent` the plugin serves clients, bundles and replay only; `Worker.create` refuses it.
 */
export class TencentCiAsrPlugin extends SimplePlugin {
  private readonly checkSearchAttributes: boolean;
  private readonly tracing: Tracing;

  constructor(options: TencentCiAsrPluginOptions = {}) {
    const activities = lazyActivities(options);
    const worker = options.interceptors?.worker;
    super({
      name: 'TencentCiAsrPlugin',
      activities: (existing) => mergeActivities(existing, activities()),
      workerInterceptors: {
        ...worker,
        workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES, ...(worker?.workflowModules ?? [])],
      },
      clientInterceptors: options.interceptors?.client,
    });
    this.checkSearchAttributes = options.checkSearchAttributes ?? true;
    this.tracing = options.tracing ?? TRACING_OFF;
  }

  /** Adds the metrics and span interceptors outermost and the span sink the bundled workflow interceptors report to. */
  override configureWorker(options: WorkerOptions): WorkerOptions {
    return withObservability(dedupeWorkflowModules(super.configureWorker(options)), this.tracing);
  }

  /** Replay needs the span sink too: the bundled workflow interceptors look it up. */
  override configureReplayWorker(options: ReplayWorkerOptions): ReplayWorkerOptions {
    const configured = dedupeWorkflowModules(super.configureReplayWorker(options));
    return { ...configured, sinks: { ...configured.sinks, ...withObservability({}, this.tracing).sinks } };
  }

  /** Adds the start checks innermost: after the user's interceptors and `interceptors.client`, just before the request. */
  override configureClient(options: ClientOptions): ClientOptions {
    const checks = startChecksInterceptor({
      connection: options.connection,
      namespace: options.namespace ?? 'default',
      checkSearchAttributes: this.checkSearchAttributes,
    });
    const configured = super.configureClient(options);
    const workflow = configured.interceptors?.workflow ?? [];
    if (!Array.isArray(workflow)) {
      throw new PluginSetupError(
        'TencentCiAsrPlugin needs the array form of ClientOptions.interceptors.workflow, not the deprecated factory',
      );
    }
    return { ...configured, interceptors: { ...configured.interceptors, workflow: [...workflow, checks] } };
  }
}

/** A user who also lists this package's interceptor modules gets each once: twice would run every interceptor twice. */
function dedupeWorkflowModules<T extends Pick<WorkerOptions, 'interceptors'>>(options: T): T {
  const modules = options.interceptors?.workflowModules;
  if (!modules) return options;
  return { ...options, interceptors: { ...options.interceptors, workflowModules: [...new Set(modules)] } };
}
