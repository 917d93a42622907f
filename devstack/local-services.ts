import { randomBytes } from 'node:crypto';
import type { ActivityDeps } from '../src/activities/deps';
import type { TencentClients } from '../src/tencent/clients';
import type { WorkerConfig } from '../src/config/worker-config';
import type { EmulatorOptions, RunningEmulator } from '../src/emulator';
import { startEmulator } from '../src/emulator';
import type { ReceiverLogger } from '../src/receiver/logger';
import { silentLogger } from '../src/receiver/logger';
import type { ReceiverLimits, RunningReceiver } from '../src/receiver/server';
import { tracingClientInterceptors } from '../src/observability/client-tracing';
import { startReceiver } from '../src/receiver/server';
import { createTemporalClientFactory } from '../src/receiver/temporal';
import { activityDepsFromConfig } from '../src/plugin/activity-deps';

/** Bucket and region of the local emulated account. */
export const LOCAL_BUCKET = 'demo-1250000000';
export const LOCAL_REGION = 'ap-guangzhou';

/** Throw-away credentials for a local stack; fresh per start so nothing real is ever needed or leaked. */
export interface LocalSecrets {
  secretId: string;
  secretKey: string;
  callbackSecret: string;
}

/** Makes fresh random local secrets. */
export function randomLocalSecrets(): LocalSecrets {
  return {
    secretId: `AKID${randomBytes(12).toString('hex')}`,
    secretKey: randomBytes(24).toString('hex'),
    callbackSecret: randomBytes(32).toString('hex'),
  };
}

/** Options of {@link startLocalServices}. */
export interface LocalServicesOptions {
  temporal: { address: string; namespace: string };
  secrets?: LocalSecrets;
  bucket?: string;
  region?: string;
  /** Start the callback receiver and hand CI callback URLs to jobs; default true. */
  callbacks?: boolean;
  /** Port of the receiver; default an ephemeral port. */
  receiverPort?: number;
  emulator?: Partial<EmulatorOptions>;
  receiverLogger?: ReceiverLogger;
  /** Rate limits of the receiver (default the receiver's own, docs/receiver.md "Limits"). */
  receiverLimits?: ReceiverLimits;
  /**
   * Sign with the temporary keys in this token file (as `TENCENT_CREDENTIALS_FILE`) instead of the permanent local
   * secrets; give the emulator the keys with `emulator.temporaryCredentials` or `issueCredentials`.
   */
  credentialsFile?: string;
}

/** The CI emulator, the callback receiver, and the worker-side dependencies wired to them. */
export interface LocalServices {
  emulator: RunningEmulator;
  receiver?: RunningReceiver;
  secrets: LocalSecrets;
  bucket: string;
  region: string;
  /** Worker settings equivalent to this wiring (for `activityDepsFromConfig` or a worker process). */
  workerSettings: Pick<WorkerConfig, 'tencent' | 'callbacks'>;
  /** The activities' dependencies, pointed at the emulator. */
  deps: ActivityDeps;
  /** Tencent clients pointed at the emulator (the same the activities use). */
  clients: TencentClients;
  stop(): Promise<void>;
}

/**
 * Starts the emulator and (optionally) the receiver, and builds activity dependencies that reach them exactly as a
 * production worker reaches Tencent Cloud: through the real SDK, with signed requests and minted callback URLs.
 */
export async function startLocalServices(options: LocalServicesOptions): Promise<LocalServices> {
  const secrets = options.secrets ?? randomLocalSecrets();
  const bucket = options.bucket ?? LOCAL_BUCKET;
  const region = options.region ?? LOCAL_REGION;
  const emulator = await startEmulator({
    credentials: { secretId: secrets.secretId, secretKey: secrets.secretKey },
    defaultBucket: bucket,
    defaultRegion: region,
    ...options.emulator,
  });
  let receiver: RunningReceiver | undefined;
  try {
    if (options.callbacks !== false) {
      receiver = await startReceiver({
        port: options.receiverPort,
        secrets: [secrets.callbackSecret],
        temporal: createTemporalClientFactory({
          connectionOptions: { address: options.temporal.address },
          namespace: options.temporal.namespace,
          clientOptions: { interceptors: tracingClientInterceptors() },
        }),
        logger: options.receiverLogger ?? silentLogger,
        ...(options.receiverLimits ? { limits: options.receiverLimits } : {}),
      });
    }
  } catch (err) {
    await emulator.close();
    throw err;
  }
  const workerSettings: LocalServices['workerSettings'] = {
    tencent: {
      ...(options.credentialsFile
        ? { credentialsFile: options.credentialsFile }
        : { secretId: secrets.secretId, secretKey: secrets.secretKey }),
      bucket,
      region,
      endpoint: emulator.url,
      requestTimeoutMs: 10_000,
    },
    callbacks: receiver ? { publicBaseUrl: receiver.url, secret: secrets.callbackSecret } : undefined,
  };
  const { deps, clients } = activityDepsFromConfig(workerSettings);
  return {
    emulator,
    receiver,
    secrets,
    bucket,
    region,
    workerSettings,
    deps,
    clients,
    stop: async () => {
      await receiver?.close();
      await emulator.close();
    },
  };
}
