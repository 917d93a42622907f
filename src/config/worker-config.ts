import type { ClientConnectConfig } from '@temporalio/envconfig';
import { DEFAULT_TASK_QUEUE } from '../shared/constants';
import { EnvReader } from './env-reader';
import { loadTemporalConnection } from './temporal-connection';

/** Tencent Cloud credentials and the default bucket jobs run on. */
export interface TencentSettings {
  secretId: string;
  secretKey: string;
  /** Temporary-credential token, when using STS keys. */
  securityToken?: string;
  /** Default bucket (`name-appid`) for jobs whose input names none. */
  bucket: string;
  /** Region of the default bucket, e.g. `ap-guangzhou`. */
  region: string;
  /** Default CI queue id; CI's default queue when unset. */
  queueId?: string;
  /** Send CI and COS requests here instead of Tencent Cloud (the local emulator), e.g. `http://127.0.0.1:9100`. */
  endpoint?: string;
  /** Per-request timeout for CI and COS calls, in ms. */
  requestTimeoutMs: number;
}

/** Validated worker configuration. */
export interface WorkerConfig {
  temporal: { connect: ClientConnectConfig; namespace: string };
  taskQueue: string;
  tencent: TencentSettings;
  /** Callback settings; without them jobs are polled only. */
  callbacks?: { publicBaseUrl: string; secret: string };
  /** `host:port` for the Prometheus `/metrics` endpoint; off when unset. */
  metricsBindAddress?: string;
  logLevel: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  maxConcurrentActivities: number;
  /** Workflow runs kept in the worker's cache; SDK default (sized from the heap) when unset. */
  maxCachedWorkflows?: number;
}

/** Reads and validates the worker's configuration from `env`, reporting every problem in one `ConfigError`. */
export function loadWorkerConfig(env: Record<string, string | undefined>): WorkerConfig {
  const read = new EnvReader(env);
  const temporal = loadTemporalConnection(env, read.problems);
  const tencent: TencentSettings = {
    secretId: read.required('TENCENT_SECRET_ID', 'Tencent Cloud API SecretId'),
    secretKey: read.required('TENCENT_SECRET_KEY', 'Tencent Cloud API SecretKey'),
    securityToken: read.optional('TENCENT_SECURITY_TOKEN'),
    bucket: read.required('CI_BUCKET', 'default bucket, name-appid'),
    region: read.required('CI_REGION', 'region of CI_BUCKET, e.g. ap-guangzhou'),
    queueId: read.optional('CI_QUEUE_ID'),
    endpoint: read.url('CI_ENDPOINT'),
    requestTimeoutMs: read.integer('CI_REQUEST_TIMEOUT_MS', 20_000, 1_000, 600_000),
  };
  if (tencent.bucket && !/^[a-z0-9][a-z0-9-]*-\d+$/.test(tencent.bucket)) {
    read.problems.push(
      `CI_BUCKET must look like name-appid, e.g. media-1250000000 (got ${JSON.stringify(tencent.bucket)})`,
    );
  }
  const publicBaseUrl = read.url('CALLBACK_PUBLIC_BASE_URL');
  const secret = read.optional('CALLBACK_SECRET');
  if (publicBaseUrl && !secret) read.problems.push('CALLBACK_SECRET is required when CALLBACK_PUBLIC_BASE_URL is set');
  if (secret && secret.length < 32) read.problems.push('CALLBACK_SECRET must be at least 32 characters');
  const config: WorkerConfig = {
    temporal,
    taskQueue: read.optional('TEMPORAL_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE,
    tencent,
    callbacks: publicBaseUrl && secret ? { publicBaseUrl, secret } : undefined,
    metricsBindAddress: read.optional('WORKER_METRICS_BIND_ADDRESS'),
    logLevel: read.oneOf('LOG_LEVEL', ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const, 'INFO'),
    maxConcurrentActivities: read.integer('WORKER_MAX_CONCURRENT_ACTIVITIES', 100, 1, 10_000),
    maxCachedWorkflows: read.optional('WORKER_MAX_CACHED_WORKFLOWS')
      ? read.integer('WORKER_MAX_CACHED_WORKFLOWS', 0, 0, 100_000)
      : undefined,
  };
  read.throwIfProblems('worker');
  return config;
}
