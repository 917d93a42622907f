import type { WorkerDeploymentVersion } from '@temporalio/common';
import { DEFAULT_TASK_QUEUE } from '../shared/constants';
import type { Env } from './reader';
import { ConfigReader } from './reader';
import type { TemporalConnection } from './temporal-connection';
import { readTemporalConnection, TEMPORAL_CONNECTION_HELP } from './temporal-connection';
import type { TencentSettings } from './tencent-settings';
import { readTencentSettings, TENCENT_SETTINGS_HELP } from './tencent-settings';

export type { TencentSettings } from './tencent-settings';

/** Validated worker configuration. */
export interface WorkerConfig {
  temporal: TemporalConnection;
  /** @default 'tencent-ci-asr' */
  taskQueue: string;
  tencent: TencentSettings;
  /** Callback settings; without them jobs are polled only. */
  callbacks?: { publicBaseUrl: string; secret: string };
  /** `host:port` for the Prometheus `/metrics` endpoint; off when unset. */
  metricsBindAddress?: string;
  /** @default 'INFO' */
  logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** @default 100 */
  maxConcurrentActivities: number;
  /**
   * CI submits per second allowed across every worker of the task queue (the quota queue's rate limit, 0 = polls no
   * quota queue: another process serves it). @default 10
   */
  ciSubmitsPerSecond: number;
  /** Workflow runs kept in the worker's cache; SDK default (sized from the heap) when unset. */
  maxCachedWorkflows?: number;
  /** A workflow bundle prebuilt at image build time; the worker bundles its workflows at start when unset. */
  workflowBundlePath?: string;
  /**
   * The Worker Deployment Version this worker belongs to (Worker Versioning, docs/upgrading.md): set, the worker and
   * its CI quota worker poll as that version and each run stays on the build it started on. Unversioned when unset.
   */
  workerDeploymentVersion?: WorkerDeploymentVersion;
  /** Serve the `transcription` Nexus service on the task queue (docs/nexus.md). @default false */
  nexus: boolean;
}

/** Callback HMAC keys shorter than this are too easy to guess. */
const MIN_CALLBACK_SECRET_LENGTH = 32;

function readCallbacks(read: ConfigReader): WorkerConfig['callbacks'] {
  const publicBaseUrl = read.url('CALLBACK_PUBLIC_BASE_URL');
  const secret = read.optional('CALLBACK_SECRET');
  if (publicBaseUrl && !secret) read.problems.push('CALLBACK_SECRET is required when CALLBACK_PUBLIC_BASE_URL is set');
  if (secret && secret.length < MIN_CALLBACK_SECRET_LENGTH) {
    read.problems.push(`CALLBACK_SECRET must be at least ${MIN_CALLBACK_SECRET_LENGTH} characters`);
  }
  return publicBaseUrl && secret ? { publicBaseUrl, secret } : undefined;
}

/** Both or neither: a deployment name without a build id (or the reverse) is a half-configured rollout. */
function readDeploymentVersion(read: ConfigReader): WorkerDeploymentVersion | undefined {
  const deploymentName = read.optional('TEMPORAL_WORKER_DEPLOYMENT_NAME');
  const buildId = read.optional('TEMPORAL_WORKER_BUILD_ID');
  if (deploymentName && buildId) return { deploymentName, buildId };
  if (deploymentName)
    read.problems.push('TEMPORAL_WORKER_BUILD_ID is required when TEMPORAL_WORKER_DEPLOYMENT_NAME is set');
  if (buildId) read.problems.push('TEMPORAL_WORKER_DEPLOYMENT_NAME is required when TEMPORAL_WORKER_BUILD_ID is set');
  return undefined;
}

/**
 * Reads and validates the worker's configuration from `env` (and `argv`, which takes no flags but `--help`),
 * reporting every problem in one `ConfigError`.
 */
export function loadWorkerConfig(env: Env, argv?: readonly string[]): WorkerConfig {
  const read = new ConfigReader(env, argv);
  const config: WorkerConfig = {
    temporal: readTemporalConnection(read),
    taskQueue: read.optional('TEMPORAL_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE,
    tencent: readTencentSettings(read),
    callbacks: readCallbacks(read),
    metricsBindAddress: read.optional('WORKER_METRICS_BIND_ADDRESS'),
    logLevel: read.oneOf('LOG_LEVEL', ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const, 'INFO'),
    maxConcurrentActivities: read.integer('WORKER_MAX_CONCURRENT_ACTIVITIES', 100, 1, 10_000),
    ciSubmitsPerSecond: read.integer('CI_SUBMITS_PER_SECOND', 10, 0, 10_000),
    maxCachedWorkflows: read.integer('WORKER_MAX_CACHED_WORKFLOWS', undefined, 0, 100_000),
    workflowBundlePath: read.optional('WORKFLOW_BUNDLE_PATH'),
    workerDeploymentVersion: readDeploymentVersion(read),
    nexus: read.oneOf('TENCENT_CI_ASR_NEXUS', ['0', '1'] as const, '0') === '1',
  };
  read.throwIfProblems('worker');
  return config;
}

/** `--help` of the worker process. */
export const WORKER_HELP = [
  'Usage: transcribe-asr-worker   (npm start)',
  '',
  'Runs the transcribeMedia/transcribeBatch workflows and the CI activities until SIGINT/SIGTERM.',
  'Configuration comes from the environment (see docs/configuration.md):',
  '',
  ...[
    ...TEMPORAL_CONNECTION_HELP,
    'TEMPORAL_TASK_QUEUE                    Task queue (default tencent-ci-asr)',
    ...TENCENT_SETTINGS_HELP,
    'CALLBACK_PUBLIC_BASE_URL, CALLBACK_SECRET  Ask CI for callbacks to the receiver (secret >= 32 characters)',
    'WORKER_METRICS_BIND_ADDRESS            host:port of Prometheus /metrics (default off)',
    'WORKER_MAX_CONCURRENT_ACTIVITIES       1-10000 (default 100)',
    'CI_SUBMITS_PER_SECOND                  CI submits/s of all workers and runs; 0 = no quota poller here (default 10)',
    'WORKER_MAX_CACHED_WORKFLOWS            0-100000 (default: sized by the SDK)',
    'WORKFLOW_BUNDLE_PATH                   Prebuilt workflow bundle (default: bundle at start)',
    'TEMPORAL_WORKER_DEPLOYMENT_NAME, TEMPORAL_WORKER_BUILD_ID  Worker Versioning: deployment and build of this',
    '                                       worker, both or neither (default: unversioned; docs/upgrading.md)',
    'TENCENT_CI_ASR_NEXUS                   1 = serve the transcription Nexus service (default 0; docs/nexus.md)',
    'LOG_LEVEL                              TRACE, DEBUG, INFO, WARN or ERROR (default INFO)',
  ].map((line) => `  ${line}`),
  '',
  'Exit codes: 0 stopped by a signal, 1 failure, 2 configuration error.',
  '',
].join('\n');
