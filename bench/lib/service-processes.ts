import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { ActivityDeps } from '../../src/activities/deps';
import type { TencentClients } from '../../src/tencent/clients';
import { findFreePort } from '../../devstack/free-port';
import { randomLocalSecrets } from '../../devstack/local-services';
import { activityDepsFromConfig } from '../../src/plugin/activity-deps';
import { waitFor } from './pool';

const EMULATOR_MAIN = resolve(__dirname, '../../src/emulator/main.ts');
const RECEIVER_MAIN = resolve(__dirname, '../../src/receiver/main.ts');

/** The emulator and the callback receiver each in a process of its own (they stand in for Tencent's servers). */
export interface ServiceProcesses {
  emulatorUrl: string;
  emulatorPid: number;
  receiverPid: number;
  /** Activity dependencies pointed at these processes, signing and minting callback URLs as a production worker. */
  deps: ActivityDeps;
  clients: TencentClients;
  bucket: string;
  region: string;
  stop(): Promise<void>;
}

interface Spawned {
  pid: number;
  stop(): Promise<void>;
  stderrTail(): string;
}

/** A callback receiver (`src/receiver/main.ts`) in a process of its own. */
export interface ReceiverProcess {
  url: string;
  adminUrl: string;
  pid: number;
  /** Its `callback delivery failed` log lines so far (each names the gRPC code and the time the call took). */
  deliveryFailures(): Record<string, unknown>[];
  stop(): Promise<void>;
}

function spawnEntry(entry: string, env: Record<string, string>, onLine?: (line: string) => void): Spawned {
  // Only what Node needs from this environment: no OTEL_* or TEMPORAL_* settings of the bench leak in.
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...base, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${entry}`);
  let stderr = '';
  let partial = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    if (!onLine) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    pid: child.pid,
    stderrTail: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

async function healthy(url: string): Promise<boolean> {
  const answer = await fetch(url).catch(() => undefined);
  return answer?.status === 200;
}

/**
 * Starts `src/receiver/main.ts` against the Temporal server at `temporal` with `callbackSecret`, through its real entry
 * point (its own event loop, its default limits, JSON logs), and resolves once it answers its health check. Temporal
 * gets 30 s per entry: on a loaded 2-core machine an update can take longer than the 5 s default, and a 503 makes CI
 * retry.
 */
export async function startReceiverProcess(options: {
  temporal: { address: string; namespace: string };
  callbackSecret: string;
}): Promise<ReceiverProcess> {
  const [port, adminPort] = [await findFreePort(), await findFreePort()];
  const failures: Record<string, unknown>[] = [];
  const receiver = spawnEntry(
    RECEIVER_MAIN,
    {
      CALLBACK_SECRET: options.callbackSecret,
      RECEIVER_PORT: String(port),
      RECEIVER_ADMIN_PORT: String(adminPort),
      RECEIVER_TEMPORAL_TIMEOUT_MS: '30000',
      TEMPORAL_ADDRESS: options.temporal.address,
      TEMPORAL_NAMESPACE: options.temporal.namespace,
    },
    (line) => {
      if (line.includes('"callback delivery failed"')) failures.push(JSON.parse(line) as Record<string, unknown>);
    },
  );
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  await waitFor('the receiver process', () => healthy(`${adminUrl}/healthz`), 60_000).catch(async (err) => {
    await receiver.stop();
    throw new Error(`${String(err)}: ${receiver.stderrTail()}`);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    adminUrl,
    pid: receiver.pid,
    deliveryFailures: () => failures,
    stop: () => receiver.stop(),
  };
}

/**
 * Starts `src/emulator/main.ts` (jobs `queuedMs` 0, `runningMs` `jobMs`, queue concurrency `queueConcurrency`) and
 * `src/receiver/main.ts` against the Temporal server at `temporal`, with fresh local secrets, through their real
 * entry points, and resolves once both answer their health checks.
 */
export async function startServiceProcesses(options: {
  temporal: { address: string; namespace: string };
  jobMs: number;
  queueConcurrency: number;
}): Promise<ServiceProcesses> {
  const secrets = randomLocalSecrets();
  const bucket = 'bench-1250000000';
  const region = 'ap-guangzhou';
  const emulatorPort = await findFreePort();
  const started: { stop(): Promise<void> }[] = [];
  try {
    const emulator = spawnEntry(EMULATOR_MAIN, {
      EMULATOR_PORT: String(emulatorPort),
      EMULATOR_SECRET_ID: secrets.secretId,
      EMULATOR_SECRET_KEY: secrets.secretKey,
      EMULATOR_BUCKET: bucket,
      EMULATOR_REGION: region,
      EMULATOR_QUEUED_MS: '0',
      EMULATOR_RUNNING_MS: String(options.jobMs),
      EMULATOR_QUEUE_CONCURRENCY: String(options.queueConcurrency),
    });
    started.push(emulator);
    const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    await waitFor('the emulator process', () => healthy(`${emulatorUrl}/_emulator/healthz`), 60_000).catch((err) => {
      throw new Error(`${String(err)}: ${emulator.stderrTail()}`);
    });
    const receiver = await startReceiverProcess({ temporal: options.temporal, callbackSecret: secrets.callbackSecret });
    started.push(receiver);
    const { deps, clients } = activityDepsFromConfig({
      tencent: {
        secretId: secrets.secretId,
        secretKey: secrets.secretKey,
        bucket,
        region,
        endpoint: emulatorUrl,
        requestTimeoutMs: 10_000,
      },
      callbacks: { publicBaseUrl: receiver.url, secret: secrets.callbackSecret },
    });
    return {
      emulatorUrl,
      emulatorPid: emulator.pid,
      receiverPid: receiver.pid,
      deps,
      clients,
      bucket,
      region,
      stop: async () => {
        await Promise.all(started.map((s) => s.stop()));
      },
    };
  } catch (err) {
    await Promise.all(started.map((s) => s.stop()));
    throw err;
  }
}
