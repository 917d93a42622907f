/**
 * Main entry of `temporal-tencent-ci-asr`: what a worker process needs (the plugin, its configuration, credentials),
 * the errors and failure types callers match on, and the workflows' input, result and status types. Starting and
 * following workflows from a client is in `temporal-tencent-ci-asr/client` (light: no worker code), workflow code
 * imports `temporal-tencent-ci-asr/workflows`, and the Tencent CI client is in `temporal-tencent-ci-asr/ci`.
 */

// The plugin: the whole embedding of this package in a worker (and the start checks on clients).
export { TencentCiAsrPlugin } from './plugin/plugin';
export type { TencentCiAsrPluginOptions } from './plugin/plugin';
export type { ActivityDeps } from './activities/deps';
export { DEFAULT_TASK_QUEUE } from './shared/constants';

// Configuration read from the environment, once, at a process's edge.
export { loadWorkerConfig } from './config/worker-config';
export type { TencentSettings, WorkerConfig } from './config/worker-config';

// Where the Tencent keys come from: static, a token file the platform rewrites, or your own STS call.
export {
  CredentialsUnavailableError,
  fileCredentials,
  refreshingCredentials,
  staticCredentials,
} from './ci/credentials';
export type { CredentialProvider, RefreshOptions, TencentCredentials } from './ci/credentials';

// Errors (all extend TencentCiAsrError) and the stable failure types of the workflows' failures.
export { TencentCiAsrError } from './shared/errors';
export { ConfigError } from './config/reader';
export { PluginSetupError } from './plugin/errors';
export { FailureType } from './shared/failure-types';
export type { FailureTypeName } from './shared/failure-types';

// The workflows' input, result and status types (client code imports them with `import type`).
export type { MediaSource, RecognitionSettings, TranscribeMediaInput } from './workflows/transcribe-media/input';
export type { ObjectLocation, TranscriptionResult } from './contract';
export type { KeptSuccess, TranscriptionPhase, TranscriptionStatus } from './workflows/messages';
export type {
  BatchItemOutcome,
  BatchProgress,
  BatchSource,
  TranscribeBatchInput,
  TranscribeBatchResult,
} from './workflows/transcribe-batch/types';

// Traces of workers and clients over OTLP, from the standard OTEL_* variables.
export { startTracing } from './observability/tracing';
export type { Tracing } from './observability/tracing';
