/**
 * The worker of chaos's `slow-credentials` phase: `src/worker.ts`'s setup (same configuration, plugin and prebuilt
 * bundle) with one change, the key source. Instead of `fileCredentials` it signs with `refreshingCredentials` over a
 * fetch that reads the same rotated token file but sometimes takes longer than an activity attempt, as a slow STS or
 * metadata endpoint does (`CHAOS_SLOW_FETCH_SHARE` of fetches take `CHAOS_SLOW_FETCH_MS`, the others up to 300 ms).
 * An attempt that gives up while a fetch is pending must fail that attempt, never the process.
 */
import { readFile, stat } from 'node:fs/promises';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../src/activities/deps';
import type { CredentialProvider } from '../../src/ci/credentials';
import { parseCredentialsFile, refreshingCredentials } from '../../src/ci/credentials';
import { exitOnStartFailure } from '../../src/config/process-entry';
import { loadWorkerConfig } from '../../src/config/worker-config';
import { TencentCiAsrPlugin } from '../../src/plugin/plugin';
import { createTencentClients } from '../../src/tencent/clients';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The token file's keys, read after a delay that is now and then longer than an attempt. */
function slowFileCredentials(path: string, slowShare: number, slowMs: number): CredentialProvider {
  let seen = '';
  const version = async () => {
    const s = await stat(path);
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  };
  const fetch = async () => {
    await sleep(Math.random() < slowShare ? slowMs : Math.random() * 300);
    const before = await version();
    const text = await readFile(path, 'utf8');
    seen = before;
    return parseCredentialsFile(text, path);
  };
  // Refetched whenever the platform rewrites the file (every few seconds in chaos), so slow fetches keep coming.
  return refreshingCredentials(fetch, { isStale: async () => (await version()) !== seen });
}

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  const { tencent } = config;
  if (!tencent.credentialsFile) throw new Error('the slow-credentials worker needs TENCENT_CREDENTIALS_FILE');
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const credentials = slowFileCredentials(
    tencent.credentialsFile,
    Number(process.env.CHAOS_SLOW_FETCH_SHARE ?? '0.3'),
    Number(process.env.CHAOS_SLOW_FETCH_MS ?? '7000'),
  );
  const clients = createTencentClients({
    credentials,
    bucket: tencent.bucket,
    region: tencent.region,
    endpoint: tencent.endpoint,
    timeoutMs: tencent.requestTimeoutMs,
    queueId: tencent.queueId,
  });
  const deps: ActivityDeps = {
    ciFor: (target) => clients.ciFor(target),
    objects: clients.objects,
    defaults: { bucket: tencent.bucket, region: tencent.region, queueId: tencent.queueId },
    callbacks: config.callbacks,
  };
  const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      workflowBundle: { code: await readFile(config.workflowBundlePath ?? '', 'utf8') },
      plugins: [new TencentCiAsrPlugin({ ciSubmitsPerSecond: config.ciSubmitsPerSecond, deps })],
      shutdownGraceTime: '30s',
      maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
    });
    await worker.run();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

main().catch(exitOnStartFailure);
