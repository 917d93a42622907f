import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import type { CallbackRouteDeps } from './callback-route';
import { sendJson } from './http';
import type { ReceiverLogger } from './logger';
import { createJsonLogger } from './logger';
import { ReceiverMetrics } from './metrics';
import { onClientError, route } from './router';
import { TemporalGateway } from './temporal';

/** Options of {@link startReceiver}: where it listens, its secrets, limits and dependencies. */
export interface ReceiverOptions {
  /** TCP port; default 0 (an ephemeral port). */
  port?: number;
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Callback secrets, current first then previous ones (rotation). At least one, none empty. */
  secrets: readonly string[];
  /**
   * Makes a Temporal client. Called lazily and again after it fails, so the receiver starts while Temporal is down.
   * The receiver owns the clients it gets and closes their connections on `close()`.
   */
  temporal: () => Promise<Client>;
  /** Largest accepted body, in bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /** Time allowed to receive a whole request (headers and body), in ms; default 10 000. */
  requestTimeoutMs?: number;
  /** Time allowed for Temporal to accept the signals of one callback (or answer a health check), in ms; default 5 000. */
  temporalTimeoutMs?: number;
  /** Where log lines go; default JSON lines on stderr. */
  logger?: ReceiverLogger;
  /** Clock for token expiry; default the system clock. */
  now?: () => Date;
}

/** A running receiver. */
export interface RunningReceiver {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Prometheus metrics of this receiver. */
  metrics: ReceiverMetrics;
  /** Stops accepting, waits for requests in flight (at most `requestTimeoutMs`), and closes Temporal connections. */
  close(): Promise<void>;
}

/** Node's parser limits; 16 KiB of headers is plenty for a callback and keeps header floods cheap. */
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_HEADERS = 64;

/**
 * Starts the callback receiver: `POST /ci/callback/<workflowId>?exp=&sig=`, `GET /healthz`, `GET /metrics`.
 * Resolves once listening; Temporal is not contacted until a request needs it.
 */
export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  if (options.secrets.length === 0 || options.secrets.some((secret) => !secret)) {
    throw new TypeError('startReceiver needs at least one callback secret and no empty ones');
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const routeDeps: CallbackRouteDeps = {
    secrets: [...options.secrets],
    gateway: new TemporalGateway(options.temporal, options.temporalTimeoutMs ?? 5_000),
    metrics: new ReceiverMetrics(),
    logger: options.logger ?? createJsonLogger(),
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    requestTimeoutMs,
    now: options.now ?? (() => new Date()),
  };
  const server = createReceiverServer(routeDeps);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  routeDeps.logger.info('receiver listening', { url });
  return { url, metrics: routeDeps.metrics, close: () => closeServer(server, routeDeps.gateway, requestTimeoutMs) };
}

function createReceiverServer(deps: CallbackRouteDeps): Server {
  const server = createServer({
    maxHeaderSize: MAX_HEADER_BYTES,
    requestTimeout: deps.requestTimeoutMs,
    headersTimeout: deps.requestTimeoutMs,
    // Node checks the timeouts above only every 30 s by default.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, deps.requestTimeoutMs / 2)),
    keepAliveTimeout: 5_000,
  });
  server.maxHeadersCount = MAX_HEADERS;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => onClientError(deps, err, socket));
  server.on('request', (req, res) => {
    route(deps, req, res).catch((err: unknown) => {
      deps.metrics.reject('internal');
      // Name only: messages and stacks of unexpected errors may carry internals.
      deps.logger.error('request failed', { error: err instanceof Error ? err.name : typeof err });
      sendJson(res, 500, { error: 'internal' }, { close: true });
    });
  });
  return server;
}

async function closeServer(server: Server, gateway: TemporalGateway, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(force);
  await gateway.close();
}
