import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { PROJECT_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { findFreePort } from './free-port';

/** Options for {@link startTemporalDevServer}. */
export interface TemporalDevServerOptions {
  /** Path to the `temporal` CLI executable. */
  executable: string;
  /** Frontend gRPC port; default: a free port. */
  port?: number;
  /** Serve the Web UI on this port; default: headless (no UI). */
  uiPort?: number;
  /** Persist state in this SQLite file so it survives a restart; default: in memory. */
  dbFilename?: string;
  /** Namespace to create; default `default`. */
  namespace?: string;
  /** How long to wait for the server to report healthy, in ms; default 60 000. */
  startTimeoutMs?: number;
  /** Dynamic config overrides, e.g. `{ 'limit.historyCount.suggestContinueAsNew': 30 }` (tests of rare paths). */
  dynamicConfig?: Record<string, string | number | boolean>;
}

/** A running Temporal dev server started by this process. */
export interface TemporalDevServer {
  /** `host:port` of the frontend. */
  address: string;
  namespace: string;
  /** Web UI address when `uiPort` was given. */
  uiUrl?: string;
  /** Stops the server and waits for the process to exit. */
  stop(): Promise<void>;
}

const searchAttributeArgs = PROJECT_SEARCH_ATTRIBUTES.flatMap((key) => [
  '--search-attribute',
  `${key.name}=${key.type === 'KEYWORD' ? 'Keyword' : key.type}`,
]);

/**
 * Starts `temporal server start-dev` with the project's search attributes and waits until its frontend answers a
 * health check. The SDK's own spawner allows only 5 s, too little on a loaded 2-core machine; this waits longer.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const port = options.port ?? (await findFreePort());
  const namespace = options.namespace ?? 'default';
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  args.push('--log-level', 'error', ...searchAttributeArgs);
  args.push(...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]));
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }

  const child = spawn(options.executable, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const stop = async (): Promise<void> => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitUntilHealthy(address, options.startTimeoutMs ?? 60_000, () => hasExited);
  } catch (err) {
    await stop();
    throw new Error(`Temporal dev server on ${address} did not become healthy: ${(err as Error).message}\n${stderr}`, {
      cause: err,
    });
  }
  return {
    address,
    namespace,
    uiUrl: options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`,
    stop,
  };
}

async function waitUntilHealthy(address: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the process exited');
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.healthService.check({});
      return;
    } catch (err) {
      lastError = err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await connection?.close();
    }
  }
  throw new Error(`timed out after ${timeoutMs} ms (last error: ${String(lastError)})`);
}
