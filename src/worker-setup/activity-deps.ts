import type { ActivityDeps } from '../activities/deps';
import { createTencentClients } from '../ci/factory';
import type { TencentClients } from '../ci/factory';
import type { WorkerConfig } from '../config/worker-config';

/** Builds the activities' dependencies (real Tencent clients, or the emulator via `CI_ENDPOINT`) from configuration. */
export function activityDepsFromConfig(config: Pick<WorkerConfig, 'tencent' | 'callbacks'>): {
  deps: ActivityDeps;
  clients: TencentClients;
} {
  const { tencent } = config;
  const clients = createTencentClients({
    secretId: tencent.secretId,
    secretKey: tencent.secretKey,
    securityToken: tencent.securityToken,
    bucket: tencent.bucket,
    region: tencent.region,
    endpoint: tencent.endpoint,
    timeoutMs: tencent.requestTimeoutMs,
  });
  const deps: ActivityDeps = {
    ciFor: (target) => clients.ciFor(target),
    objects: clients.objects,
    defaults: { bucket: tencent.bucket, region: tencent.region, queueId: tencent.queueId },
    callbacks: config.callbacks,
  };
  return { deps, clients };
}
