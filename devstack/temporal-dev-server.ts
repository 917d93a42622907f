import { spawn } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { PROJECT_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { TencentCiAsrError } from '../src/shared/errors';
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
  /**
   * Run the server in its own process group, so a Ctrl-C in the terminal (SIGINT to the foreground group) reaches
   * only this process, which can then stop its workers before the server; otherwise the server stops at the same
   * moment and the workers' shutdown calls fail with warnings. The server is killed when this process exits.
   */
  ownProcessGroup?: boolean;
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

/** The `temporal` process ended before its server answered; `output` is what it printed (head and tail). */
export class TemporalDevServerExitedError extends TencentCiAsrError {
  override readonly name = 'TemporalDevServerExitedError';

  constructor(
    message: string,
    readonly output: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Start attempts when the server dies while starting its services (see {@link startTemporalDevServer}). */
const START_ATTEMPTS = 3;

/**
 * An early exit worth another start: a port taken between the CLI's free-port probe and its bind, or a Go panic
 * while the server wires its services. A refused flag or a taken `--port`/`--ui-port` prints `Error: …` instead,
 * which is final.
 */
function worthRestarting(output: string): boolean {
  return /address already in use|^panic: |^goroutine \d+ /im.test(output) && !/^Error: /m.test(output);
}

/**
 * Starts `temporal server start-dev` with the project's search attributes and waits until its frontend answers a
 * health check. The SDK's own spawner allows only 5 s, too little on a loaded 2-core machine; this waits longer.
 *
 * The CLI probes free ports for its internal services (history, matching, worker, membership, HTTP API, metrics) and
 * binds them a moment later; on a busy machine (a test suite starting many servers) the server sometimes panics
 * while wiring its services. Such an exit is retried (same frontend port, same state file), up to
 * {@link START_ATTEMPTS} starts in all; the error of the last one keeps the head of its output, where a panic names
 * its cause.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const port = options.port ?? (await findFreePort());
  for (let attempt = 1; ; attempt++) {
    const started = await startOnce(options, port);
    if (!('failure' in started)) return started;
    const { failure, exitedEarly, output } = started;
    if (!exitedEarly || !worthRestarting(output) || attempt >= START_ATTEMPTS) throw failure;
  }
}

/** A start that did not become healthy: the error to report, and whether the process ended by itself. */
interface FailedStart {
  failure: Error;
  exitedEarly: boolean;
  /** What the server printed (head and tail). */
  output: string;
}

/** Keeps the first and the last characters of a stream: a Go panic names its cause at the top, its stack below. */
function headAndTail(limit: number): { add(chunk: string): void; text(): string } {
  let head = '';
  let tail = '';
  let dropped = false;
  return {
    add(chunk) {
      if (head.length < limit) {
        const room = limit - head.length;
        head += chunk.slice(0, room);
        chunk = chunk.slice(room);
      }
      if (chunk.length === 0) return;
      const joined = tail + chunk;
      if (joined.length > limit) dropped = true;
      tail = joined.slice(-limit);
    },
    text: () => (dropped ? `${head}\n…\n${tail}` : head + tail),
  };
}

async function startOnce(options: TemporalDevServerOptions, port: number): Promise<TemporalDevServer | FailedStart> {
  const namespace = options.namespace ?? 'default';
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  args.push('--log-level', 'error', ...searchAttributeArgs);
  args.push(...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]));
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) {
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  }

  const detached = options.ownProcessGroup === true;
  const child = spawn(options.executable, args, { stdio: ['ignore', 'ignore', 'pipe'], detached });
  const stderr = headAndTail(2000);
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.add(chunk));
  // Outside our process group nothing else stops it: whatever ends this process ends the server too.
  const killOnExit = () => child.kill('SIGKILL');
  if (detached) process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    process.removeListener('exit', killOnExit);
  });

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
    const exitedEarly = hasExited;
    await stop();
    const output = stderr.text();
    const message = `Temporal dev server on ${address} did not become healthy: ${(err as Error).message}\n${output}`;
    const failure = exitedEarly
      ? new TemporalDevServerExitedError(message, output, { cause: err })
      : new Error(message, { cause: err });
    return { failure, exitedEarly, output };
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
