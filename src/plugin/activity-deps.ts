import type { ActivityDeps } from '../activities/deps';
import { fileCredentials } from '../ci/credentials';
import { createTencentClients } from '../tencent/clients';
import type { TencentClients } from '../tencent/clients';
import type { TencentSettings } from '../config/tencent-settings';
import type { WorkerConfig } from '../config/worker-config';

/** CI and COS clients for `settings` (Tencent Cloud, or the emulator at `endpoint`). */
export function tencentClientsFrom(settings: TencentSettings): TencentClients {
  const keys = settings.credentialsFile
    ? { credentials: fileCredentials(settings.credentialsFile) }
    : { secretId: settings.secretId, secretKey: settings.secretKey, securityToken: settings.securityToken };
  return createTencentClients({
    ...keys,
    bucket: settings.bucket,
    region: settings.region,
    endpoint: settings.endpoint,
    timeoutMs: settings.requestTimeoutMs,
    // Sent on every submit and list for the configured bucket (CI documents queueId as required on lists).
    queueId: settings.queueId,
  });
}

/** Builds the activities' dependencies (real Tencent clients, or the emulator via `CI_ENDPOINT`) from configuration. */
export function activityDepsFromConfig(config: Pick<WorkerConfig, 'tencent' | 'callbacks'>): {
  deps: ActivityDeps;
  clients: TencentClients;
} {
  const { tencent } = config;
  const clients = tencentClientsFrom(tencent);
  const deps: ActivityDeps = {
    ciFor: (target) => clients.ciFor(target),
    objects: clients.objects,
    defaults: { bucket: tencent.bucket, region: tencent.region, queueId: tencent.queueId },
    callbacks: config.callbacks,
    queueConcurrency: async ({ queueId, ...target }) => {
      const page = await clients.setupFor(target).describeQueues(queueId ? { queueIds: [queueId] } : {});
      return (queueId ? page.queues.find((q) => q.queueId === queueId) : page.queues[0])?.maxConcurrent;
    },
  };
  return { deps, clients };
}
