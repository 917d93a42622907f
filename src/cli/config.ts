import type { ClientConnectConfig } from '@temporalio/envconfig';
import type { TencentSettings } from '../config/worker-config';
import { EnvReader } from '../config/env-reader';
import { loadTemporalConnection } from '../config/temporal-connection';
import { DEFAULT_TASK_QUEUE } from '../shared/constants';

/** What the CLI reads from the environment: the worker's variables, each part checked only when a command needs it. */
export interface CliConfig {
  taskQueue: string;
  /** Temporal connection; throws a `ConfigError` listing every problem. */
  temporal(): { connect: ClientConnectConfig; namespace: string };
  /** Tencent credentials and default bucket; throws a `ConfigError` naming every missing variable. */
  tencent(): TencentSettings;
}

/** Reads the CLI's configuration from `env` (lazily: `status` needs no Tencent credentials). */
export function loadCliConfig(env: Record<string, string | undefined>): CliConfig {
  return {
    taskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE,
    temporal: () => {
      const read = new EnvReader(env);
      const temporal = loadTemporalConnection(env, read.problems);
      read.throwIfProblems('Temporal connection');
      return temporal;
    },
    tencent: () => {
      const read = new EnvReader(env);
      const settings: TencentSettings = {
        secretId: read.required('TENCENT_SECRET_ID', 'Tencent Cloud API SecretId'),
        secretKey: read.required('TENCENT_SECRET_KEY', 'Tencent Cloud API SecretKey'),
        securityToken: read.optional('TENCENT_SECURITY_TOKEN'),
        bucket: read.required('CI_BUCKET', 'bucket whose CI runs the jobs, name-appid'),
        region: read.required('CI_REGION', 'region of CI_BUCKET, e.g. ap-guangzhou'),
        queueId: read.optional('CI_QUEUE_ID'),
        endpoint: read.url('CI_ENDPOINT'),
        requestTimeoutMs: read.integer('CI_REQUEST_TIMEOUT_MS', 20_000, 1_000, 600_000),
      };
      read.throwIfProblems('Tencent Cloud');
      return settings;
    },
  };
}
