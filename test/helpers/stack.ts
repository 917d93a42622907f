import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../../src/activities/deps';
import type { TencentClients } from '../../src/ci/factory';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator';
import { startEmulator } from '../../src/emulator';
import type { RunningReceiver } from '../../src/receiver/server';
import { startReceiver } from '../../src/receiver/server';
import { createTemporalClientFactory } from '../../src/receiver/temporal';
import { silentLogger } from '../../src/receiver/logger';
import { activityDepsFromConfig } from '../../src/runtime/activity-deps';
import { createTranscriptionWorker } from '../../src/runtime/transcription-worker';
import type { TemporalTestServer } from './temporal';

/** Bucket and region the test stacks use. */
export const TEST_BUCKET = 'media-1250000000';
export const TEST_REGION = 'ap-guangzhou';

/** Fresh secrets per stack, so a history scan for them means something. */
export function testSecrets(): { secretId: string; secretKey: string; callbackSecret: string } {
  return {
    secretId: `AKID${randomBytes(12).toString('hex')}`,
    secretKey: randomBytes(24).toString('hex'),
    callbackSecret: randomBytes(32).toString('hex'),
  };
}

/** Emulator + (optional) receiver + worker on a unique task queue, wired like production. */
export interface TestStack {
  emulator: RunningEmulator;
  receiver?: RunningReceiver;
  client: Client;
  taskQueue: string;
  secrets: ReturnType<typeof testSecrets>;
  deps: ActivityDeps;
  /** The same Tencent clients the worker uses (pointed at the emulator). */
  clients: TencentClients;
  /** Starts another worker on the same task queue (e.g. after stopping the first). */
  startWorker(): Promise<RunningWorker>;
  worker: RunningWorker;
  stop(): Promise<void>;
}

/** A worker running in this process and how to stop it. */
export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** Options of {@link startStack}. */
export interface StackOptions {
  workflowBundle: { code: string };
  /** Start the callback receiver and give CI callback URLs; default true. */
  callbacks?: boolean;
  emulator?: Partial<EmulatorOptions>;
}

/** Starts a whole test stack against the given Temporal server. */
export async function startStack(temporal: TemporalTestServer, options: StackOptions): Promise<TestStack> {
  const secrets = testSecrets();
  const emulator = await startEmulator({
    credentials: { secretId: secrets.secretId, secretKey: secrets.secretKey },
    defaultBucket: TEST_BUCKET,
    defaultRegion: TEST_REGION,
    timings: { queuedMs: 50, runningMs: 150 },
    ...options.emulator,
  });
  const receiver =
    options.callbacks === false
      ? undefined
      : await startReceiver({
          secrets: [secrets.callbackSecret],
          temporal: createTemporalClientFactory({
            connectionOptions: { address: temporal.env.address },
            namespace: temporal.env.namespace,
          }),
          logger: silentLogger,
        });
  const { deps, clients } = activityDepsFromConfig({
    tencent: {
      secretId: secrets.secretId,
      secretKey: secrets.secretKey,
      bucket: TEST_BUCKET,
      region: TEST_REGION,
      endpoint: emulator.url,
      requestTimeoutMs: 10_000,
    },
    callbacks: receiver ? { publicBaseUrl: receiver.url, secret: secrets.callbackSecret } : undefined,
  });
  const taskQueue = `asr-test-${randomUUID()}`;
  const startWorker = async (): Promise<RunningWorker> => {
    const worker = await createTranscriptionWorker({
      connection: temporal.env.nativeConnection,
      namespace: temporal.env.namespace,
      taskQueue,
      deps,
      workflowBundle: options.workflowBundle,
    });
    const running = worker.run();
    return {
      worker,
      stop: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      },
    };
  };
  const worker = await startWorker();
  return {
    emulator,
    receiver,
    client: temporal.env.client,
    taskQueue,
    secrets,
    deps,
    clients,
    worker,
    startWorker,
    stop: async () => {
      await worker.stop();
      await receiver?.close();
      await emulator.close();
    },
  };
}
