import { Client, Connection } from '@temporalio/client';
import { createTencentClients } from '../ci/factory';
import type { TencentClients } from '../ci/factory';
import type { CliConfig } from './config';
import { TemporalUnreachableError } from './errors';

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
    tencent: () => {
      if (clients) return clients;
      const t = config.tencent();
      clients = createTencentClients({
        secretId: t.secretId,
        secretKey: t.secretKey,
        securityToken: t.securityToken,
        bucket: t.bucket,
        region: t.region,
        endpoint: t.endpoint,
        timeoutMs: t.requestTimeoutMs,
      });
      return clients;
    },
    close: async () => {
      const open = await connection?.catch(() => undefined);
      await open?.close();
    },
  };
}
