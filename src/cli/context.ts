import { Client, Connection } from '@temporalio/client';
import type { TencentClients } from '../tencent/clients';
import type { Env } from '../config/reader';
import { ConfigReader } from '../config/reader';
import type { TemporalConnection } from '../config/temporal-connection';
import { readTemporalConnection } from '../config/temporal-connection';
import type { TencentSettings } from '../config/tencent-settings';
import { readTencentSettings } from '../config/tencent-settings';
import { DEFAULT_TASK_QUEUE } from '../shared/constants';
import { tencentClientsFrom } from '../plugin/activity-deps';
import type { DoctorSettings } from './doctor/settings';
import { readDoctorSettings } from './doctor/settings';
import { TemporalUnreachableError } from './errors';

/** What the CLI reads from the environment: the worker's variables, each part checked only when a command needs it. */
export interface CliConfig {
  taskQueue: string;
  /** Temporal connection; throws a `ConfigError` listing every problem. */
  temporal(): TemporalConnection;
  /** Tencent credentials and default bucket, checked as the worker checks them; throws a `ConfigError`. */
  tencent(): TencentSettings;
  /** What `doctor` reads besides: queue and callback settings, the receiver's health URL; never throws. */
  doctor(): DoctorSettings;
}

/** Reads the CLI's configuration from `env` (lazily: `status` needs no Tencent credentials). */
export function loadCliConfig(env: Env): CliConfig {
  const readPart =
    <T>(what: string, readIt: (read: ConfigReader) => T) =>
    (): T => {
      const read = new ConfigReader(env);
      const value = readIt(read);
      read.throwIfProblems(what);
      return value;
    };
  return {
    taskQueue: new ConfigReader(env).optional('TEMPORAL_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE,
    temporal: readPart('Temporal connection', readTemporalConnection),
    tencent: readPart('Tencent Cloud', readTencentSettings),
    doctor: () => readDoctorSettings(env),
  };
}

/** Where a command writes: stdout or stderr, and whether it is a terminal (live status lines and bars need one). */
export interface CliStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Everything a command uses, injected so tests run commands in-process against a test stack. */
export interface CliContext {
  stdout: CliStream;
  stderr: CliStream;
  /** Task queue the workflows are started on. */
  taskQueue: string;
  /** The Temporal client (connected on first use). */
  temporal(): Promise<Client>;
  /** CI and COS clients (built on first use; throws `ConfigError` when credentials are missing). */
  tencent(): TencentClients;
  /** Milliseconds between status or progress queries while waiting; default 500. */
  refreshMs?: number;
  /** Milliseconds between checks for a worker on the task queue while none polls it; default 5000. */
  pollerCheckMs?: number;
  /** The settings `doctor` checks besides the clients; none (no callbacks, the bucket's queue) when absent. */
  doctorSettings?: () => DoctorSettings;
  /** `CI_ENDPOINT` (the local emulator) when set, for naming it when it does not answer; default Tencent Cloud. */
  ciEndpoint?: () => string | undefined;
}

/** Seconds a CLI waits for Temporal before saying it is unreachable (the SDK's default is 10). */
const CONNECT_TIMEOUT = '5s';

/** Builds the real context of the executable from configuration; `close()` releases the Temporal connection. */
export function createCliContext(
  config: CliConfig,
  streams: { stdout: CliStream; stderr: CliStream },
): CliContext & { close(): Promise<void> } {
  let connection: Promise<Connection> | undefined;
  let clients: TencentClients | undefined;
  const connect = async (): Promise<Connection> => {
    const { connect: settings } = config.temporal();
    const address = settings.connectionOptions.address ?? 'localhost:7233';
    try {
      return await Connection.connect({ connectTimeout: CONNECT_TIMEOUT, ...settings.connectionOptions });
    } catch (err) {
      throw new TemporalUnreachableError(address, { cause: err });
    }
  };
  return {
    ...streams,
    taskQueue: config.taskQueue,
    temporal: async () => {
      connection ??= connect();
      return new Client({ connection: await connection, namespace: config.temporal().namespace });
    },
    tencent: () => (clients ??= tencentClientsFrom(config.tencent())),
    doctorSettings: () => config.doctor(),
    ciEndpoint: () => {
      try {
        return config.tencent().endpoint;
      } catch {
        return undefined;
      }
    },
    close: async () => {
      const open = await connection?.catch(() => undefined);
      await open?.close();
    },
  };
}
