import type { ClientInterceptors, ClientOptions } from '@temporalio/client';
import { SimplePlugin } from '@temporalio/plugin';
import type { WorkerInterceptors } from '@temporalio/worker';
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
}

/**
 * This package as a Temporal plugin, for `Worker.create({ plugins })`, `Worker.runReplayHistories({ plugins })`,
 * `bundleWorkflowCode({ plugins })` and `new Client({ plugins })`.
 *
 * - Worker: adds this package's activities (from `deps`, or built once from `tencent`/`callbacks`) to the worker's own
 *   `activities`, refusing a name both define, and appends `interceptors.worker`.
 * - Bundler and replay: append the workflow interceptor modules of `interceptors.worker` (a prebuilt `workflowBundle`
 *   gets them only from `bundleWorkflowCode({ plugins })`). The user's `workflowsPath` or `workflowBundle` is never
 *   set or replaced: a TypeScript bundle is built from one module, so that module (yours) re-exports this package's
 *   workflows: `export * from 'temporal-tencent-ci-asr/workflows';`.
 * - Client: checks the input (and once, the namespace's search attributes) of every start of this package's
 *   workflows, however it is made, and appends `interceptors.client`.
 *
 * Without `deps` or `tencent` the plugin serves clients, bundles and replay only; `Worker.create` refuses it.
 */
export class TencentCiAsrPlugin extends SimplePlugin {
  private readonly checkSearchAttributes: boolean;

  constructor(options: TencentCiAsrPluginOptions = {}) {
    const activities = lazyActivities(options);
    super({
      name: 'TencentCiAsrPlugin',
      activities: (existing) => mergeActivities(existing, activities()),
      workerInterceptors: options.interceptors?.worker,
      clientInterceptors: options.interceptors?.client,
    });
    this.checkSearchAttributes = options.checkSearchAttributes ?? true;
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
