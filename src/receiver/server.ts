import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { Client } from '@temporalio/client';
import type { CallbackRouteDeps } from './callback-route';
import { DeliveryLedger } from './delivery-ledger';
import { HealthMonitor } from './health';
import { JobOwners } from './job-owners';
import { sendJson } from './http';
import type { ReceiverLogger } from './logger';
import { createJsonLogger } from './logger';
import { ReceiverMetrics } from './metrics';
import type { BucketSettings } from './rate-limit';
import { RateLimiter } from './rate-limit';
import { adminRoute, onClientError, route } from './router';
import { TemporalGateway } from './temporal';
import { listenOn } from '../shared/listen';

/** Rate limits of the callback route (docs/receiver.md, "Limits"). */
export interface ReceiverLimits {
  /** Authenticated callback requests per client address; default burst 60, 20 per second. */
  perClient?: BucketSettings;
  /** Temporal calls per workflow for entries not known to be its own job's; default burst 10, 1 per second. */
  perWorkflow?: BucketSettings;
  /**
   * Requests per workflow still read from a client over its limit (to find the run's genuine callback); default
   * burst 3, 1 per second.
   */
  limitedAllowance?: BucketSettings;
  /** Workflows and clients remembered (ledger and buckets each); default 10 000. */
  trackedKeys?: number;
}

/** Options of {@link startReceiver}: where it listens, its secrets, limits and dependencies. */
export interface ReceiverOptions {
  /** TCP port of the public callback listener; default 0 (an ephemeral port). */
  port?: number;
  /** Interface of the public callback listener; default `127.0.0.1`. */
  host?: string;
  /** TCP port of the private admin listener (`/healthz`, `/metrics`); default 0 (an ephemeral port). */
  adminPort?: number;
  /** Interface of the private admin listener; default `127.0.0.1`. */
  adminHost?: string;
  /** Callback secrets, current first then previous ones (rotation). At least one, none empty. */
  secrets: readonly string[];
  /**
   * Tokens of the queue callback URL `POST /ci/queue?token=` (current first, then the previous one during a
   * rotation); default none, and the route answers 404. Never the callback secret.
   */
  queueTokens?: readonly string[];
  /**
   * Makes a Temporal client. Called lazily and again after it fails, so the receiver starts while Temporal is down.
   * The receiver owns the clients it gets and closes their connections on `close()`.
   */
  temporal: () => Promise<Client>;
  /** Largest accepted body, in bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /** Time allowed to receive a whole request (headers and body), in ms; default 10 000. */
  requestTimeoutMs?: number;
  /** Time allowed for Temporal to take one entry (or answer a health check), in ms; default 5 000. */
  temporalTimeoutMs?: number;
  /** Time between background health checks of Temporal, in ms; default 5 000. */
  healthIntervalMs?: number;
  /** Rate limits; see {@link ReceiverLimits} for the defaults. */
  limits?: ReceiverLimits;
  /** Header a trusted proxy sets to the client address (its last value is used); default: the TCP peer. */
  clientAddressHeader?: string;
  /** Where log lines go; default JSON lines on stderr. */
  logger?: ReceiverLogger;
  /** Clock for token expiry and rate limits; default the system clock. */
  now?: () => Date;
}

/** A running receiver. */
export interface RunningReceiver {
  /** Base URL of the public callback listener, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Base URL of the private admin listener (`/healthz`, `/metrics`). */
  adminUrl: string;
  /** Prometheus metrics of this receiver. */
  metrics: ReceiverMetrics;
  /** Stops accepting, waits for requests in flight (at most `requestTimeoutMs`), and closes Temporal connections. */
  close(): Promise<void>;
}

/** Node's parser limits; 16 KiB of headers is plenty for a callback and keeps header floods cheap. */
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_HEADERS = 64;

function routeDepsFrom(options: ReceiverOptions): CallbackRouteDeps {
  const trackedKeys = options.limits?.trackedKeys ?? 10_000;
  const gateway = new TemporalGateway(options.temporal, options.temporalTimeoutMs ?? 5_000);
  return {
    secrets: [...options.secrets],
    queueTokens: [...(options.queueTokens ?? [])],
    owners: new JobOwners((jobId) => gateway.jobOwners(jobId), trackedKeys),
    gateway,
    ledger: new DeliveryLedger(trackedKeys),
    clientLimiter: new RateLimiter(options.limits?.perClient ?? { burst: 60, perSecond: 20 }, trackedKeys),
    workflowLimiter: new RateLimiter(options.limits?.perWorkflow ?? { burst: 10, perSecond: 1 }, trackedKeys),
    limitedAllowance: new RateLimiter(options.limits?.limitedAllowance ?? { burst: 3, perSecond: 1 }, trackedKeys),
    clientAddressHeader: options.clientAddressHeader?.toLowerCase(),
    metrics: new ReceiverMetrics(),
    logger: options.logger ?? createJsonLogger(),
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    now: options.now ?? (() => new Date()),
  };
}

/** The receiver's two listeners, as a port clash (`PortInUseError`) names them. */
export const RECEIVER_LISTENERS = {
  callbacks: 'receiver callback listener',
  admin: 'receiver admin listener',
} as const;

/**
 * Starts the callback receiver: `POST /ci/callback/v2/<base64url workflowId>?tag=&exp=&sig=` (and v1 URLs), and
 * `POST /ci/queue?token=` when `queueTokens` are given, on the public listener, `GET /healthz` and `GET /metrics` on the private admin listener. Resolves once both listen.
 */
export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  if (options.secrets.length === 0 || options.secrets.some((secret) => !secret)) {
    throw new TypeError('startReceiver needs at least one callback secret and no empty ones');
  }
  if (options.queueTokens?.some((token) => !token || options.secrets.includes(token))) {
    throw new TypeError('startReceiver needs queue tokens that are not empty and not a callback secret');
  }
  const deps = routeDepsFrom(options);
  const health = new HealthMonitor(() => deps.gateway.healthy(), options.healthIntervalMs ?? 5_000, deps.now);
  const server = createHttpServer(deps, (req, res) => route(deps, req, res));
  const admin = createHttpServer(deps, (req, res) => adminRoute({ metrics: deps.metrics, health }, req, res));
  const url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1', RECEIVER_LISTENERS.callbacks);
  let adminUrl: string;
  try {
    adminUrl = await listen(admin, options.adminPort ?? 0, options.adminHost ?? '127.0.0.1', RECEIVER_LISTENERS.admin);
  } catch (err) {
    await new Promise((resolve) => server.close(resolve));
    throw err;
  }
  health.start();
  deps.logger.info('receiver listening', { url, adminUrl });
  const close = async (): Promise<void> => {
    health.stop();
    await Promise.all([closeServer(server, deps.requestTimeoutMs), closeServer(admin, deps.requestTimeoutMs)]);
    await deps.gateway.close();
  };
  return { url, adminUrl, metrics: deps.metrics, close };
}

async function listen(server: Server, port: number, host: string, listener: string): Promise<string> {
  const { address, port: bound } = await listenOn(server, port, host, listener);
  return `http://${address.includes(':') ? `[${address}]` : address}:${bound}`;
}

function createHttpServer(
  deps: CallbackRouteDeps,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Server {
  const server = createServer({
    maxHeaderSize: MAX_HEADER_BYTES,
    requestTimeout: deps.requestTimeoutMs,
    headersTimeout: deps.requestTimeoutMs,
    // Node checks the timeouts above only every 30 s by default.
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, deps.requestTimeoutMs / 2)),
    keepAliveTimeout: 5_000,
  });
  server.maxHeadersCount = MAX_HEADERS;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => onClientError(deps.metrics, err, socket));
  const onRequest: RequestListener = (req, res) => {
    handle(req, res).catch((err: unknown) => {
      deps.metrics.reject('internal');
      // Name only: messages and stacks of unexpected errors may carry internals.
      deps.logger.error('request failed', { error: err instanceof Error ? err.name : typeof err });
      sendJson(res, 500, { error: 'internal' }, { close: true });
    });
  };
  server.on('request', onRequest);
  return server;
}

async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  await closed;
  clearTimeout(force);
}
