/**
 * Main entry of `temporal-tencent-ci-asr`: everything a Temporal worker or client process needs. Workflow code
 * imports `temporal-tencent-ci-asr/workflows` instead (this entry reaches Node built-ins and native code).
 */

// Activities: a factory over injected clients, and the types workflows exchange with it.
export * from './activities';

// The plugin: activities, start checks and interceptors for `Worker.create`, `bundleWorkflowCode` and `new Client`.
export { TencentCiAsrPlugin } from './plugin/plugin';
export type { TencentCiAsrPluginOptions } from './plugin/plugin';
export type { ActivitySource } from './plugin/activities';
export { MissingSearchAttributesError, PluginSetupError } from './plugin/errors';

// Workers: this package's worker, its workflow bundle and the path for a user's own `workflowsPath`.
export {
  bundleTranscriptionWorkflows,
  createTranscriptionWorker,
  WORKFLOWS_PATH,
} from './worker-setup/transcription-worker';
export type { TranscriptionWorkerOptions } from './worker-setup/transcription-worker';
export { activityDepsFromConfig } from './worker-setup/activity-deps';
export { createQuotaWorker, DEFAULT_CI_SUBMITS_PER_SECOND } from './worker-setup/quota-worker';
export type { QuotaWorkerOptions } from './worker-setup/quota-worker';

// Observability: OTLP tracing from the OTEL_* variables, the client's trace start, the worker's business metrics.
export { startTracing, TRACING_OFF } from './observability/tracing';
export type { StartTracingOptions, Tracing } from './observability/tracing';
export { tracingClientInterceptors } from './observability/client-tracing';
export { WORKFLOW_INTERCEPTOR_MODULES, withObservability } from './observability/worker-options';
export { WORKER_HISTOGRAM_BUCKETS, WorkerMetric } from './observability/metric-names';

// Configuration read from the environment, once, at a process's edge.
export { loadWorkerConfig } from './config/worker-config';
export type { TencentSettings, WorkerConfig } from './config/worker-config';
export { ConfigError } from './config/reader';

// Clients that start and follow the workflows from outside Temporal, and the workflows' input/result types.
export * from './client';
export type { BatchContinuation, TranscribeMediaContinuation } from './workflows';
export type { BatchItemOutcome, BatchSource } from './workflows';

// Tencent clients the activities run on (CI jobs, COS objects), for building `ActivityDeps` by hand.
export { createTencentClients } from './tencent/clients';
export type { TencentClients, TencentClientsConfig } from './tencent/clients';
// Where the keys come from: static, a token file the platform rewrites, or your own STS call.
export * from './ci/credentials';
export { CiError, CiResponseError, CiValidationError } from './ci/errors';
export { TencentCiAsrError } from './shared/errors';

// Stable names shared with Temporal: failure types, search attributes, the default task queue.
export { FailureType } from './shared/failure-types';
export type { FailureTypeName } from './shared/failure-types';
export { CI_JOB_ID, CI_JOB_STATE, PROJECT_SEARCH_ATTRIBUTES } from './shared/search-attributes';
export { ciQuotaTaskQueue, DEFAULT_TASK_QUEUE } from './shared/constants';
