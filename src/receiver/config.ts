import type { ConnectionOptions } from '@temporalio/client';
import type { Env } from '../config/reader';
import { ConfigReader } from '../config/reader';
import { readTemporalConnection, TEMPORAL_CONNECTION_HELP } from '../config/temporal-connection';
import type { ReceiverLimits } from './server';

/** Everything the receiver process needs, read once at start. */
export interface ReceiverConfig {
  /** Interface to bind (`RECEIVER_HOST`). @default '127.0.0.1' */
  host: string;
  /** TCP port (`--port`, else `RECEIVER_PORT`). @default 8787 */
  port: number;
  /** Interface of the private admin listener, `/healthz` and `/metrics` (`RECEIVER_ADMIN_HOST`). @default '127.0.0.1' */
  adminHost: string;
  /** Port of the private admin listener (`RECEIVER_ADMIN_PORT`). @default 9465 */
  adminPort: number;
  /** `CALLBACK_SECRET`, then `CALLBACK_SECRET_PREVIOUS` when set. */
  secrets: string[];
  /** `RECEIVER_QUEUE_TOKEN`, then `RECEIVER_QUEUE_TOKEN_PREVIOUS`; empty = queue-level callbacks off. */
  queueTokens: string[];
  /** `RECEIVER_MAX_BODY_BYTES`. @default 1048576 */
  maxBodyBytes: number;
  /** `RECEIVER_REQUEST_TIMEOUT_MS`. @default 10000 */
  requestTimeoutMs: number;
  /** `RECEIVER_TEMPORAL_TIMEOUT_MS`. @default 5000 */
  temporalTimeoutMs: number;
  /** `RECEIVER_HEALTH_INTERVAL_MS`: time between background health checks of Temporal. @default 5000 */
  healthIntervalMs: number;
  /** Rate limits: `RECEIVER_CLIENT_BURST`/`_PER_SECOND`, `RECEIVER_WORKFLOW_BURST`/`_PER_SECOND`, `RECEIVER_TRACKED_KEYS`. */
  limits: Required<ReceiverLimits>;
  /** `RECEIVER_CLIENT_ADDRESS_HEADER`: header a trusted proxy sets to the client address; unset → the TCP peer. */
  clientAddressHeader?: string;
  /** Temporal connection from `@temporalio/envconfig` (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS, API key). */
  temporal: { connectionOptions: ConnectionOptions; namespace: string };
}

/** HMAC keys shorter than this are too easy to guess; 32 characters of random text is the documented minimum. */
const MIN_SECRET_LENGTH = 32;

function readSecrets(read: ConfigReader): string[] {
  const current = read.optional('CALLBACK_SECRET');
  const previous = read.optional('CALLBACK_SECRET_PREVIOUS');
  // Never echo a secret's value, only what is wrong with it.
  if (!current) read.problems.push('CALLBACK_SECRET is required');
  else if (current.length < MIN_SECRET_LENGTH)
    read.problems.push(`CALLBACK_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  if (previous && previous.length < MIN_SECRET_LENGTH) {
    read.problems.push(`CALLBACK_SECRET_PREVIOUS must be at least ${MIN_SECRET_LENGTH} characters when set`);
  }
  return [current, previous].filter((s): s is string => Boolean(s));
}

/** Queue callback tokens: optional, as long as a secret, and never the callback secret (a URL must not leak it). */
function readQueueTokens(read: ConfigReader, secrets: readonly string[]): string[] {
  const current = read.optional('RECEIVER_QUEUE_TOKEN');
  const previous = read.optional('RECEIVER_QUEUE_TOKEN_PREVIOUS');
  if (previous && !current) read.problems.push('RECEIVER_QUEUE_TOKEN_PREVIOUS needs RECEIVER_QUEUE_TOKEN');
  for (const [name, value] of [
    ['RECEIVER_QUEUE_TOKEN', current],
    ['RECEIVER_QUEUE_TOKEN_PREVIOUS', previous],
  ] as const) {
    if (!value) continue;
    if (value.length < MIN_SECRET_LENGTH)
      read.problems.push(`${name} must be at least ${MIN_SECRET_LENGTH} characters`);
    else if (!/^[A-Za-z0-9._~-]+$/.test(value))
      read.problems.push(`${name} must be URL-safe (letters, digits, . _ ~ -)`);
    if (secrets.includes(value)) read.problems.push(`${name} must differ from the callback secrets`);
  }
  return [current, previous].filter((s): s is string => Boolean(s));
}

function readTemporal(read: ConfigReader): ReceiverConfig['temporal'] {
  const { connect, namespace } = readTemporalConnection(read, { addressRequired: true });
  const { address, tls, apiKey, metadata } = connect.connectionOptions;
  return { connectionOptions: { address, tls, apiKey, metadata }, namespace };
}

function readLimits(read: ConfigReader): Required<ReceiverLimits> {
  return {
    perClient: {
      burst: read.integer('RECEIVER_CLIENT_BURST', 60, 1, 1_000_000),
      perSecond: read.integer('RECEIVER_CLIENT_PER_SECOND', 20, 1, 1_000_000),
    },
    perWorkflow: {
      burst: read.integer('RECEIVER_WORKFLOW_BURST', 10, 1, 1_000_000),
      perSecond: read.integer('RECEIVER_WORKFLOW_PER_SECOND', 1, 1, 1_000_000),
    },
    limitedAllowance: {
      burst: read.integer('RECEIVER_LIMITED_BURST', 3, 1, 1_000_000),
      perSecond: read.integer('RECEIVER_LIMITED_PER_SECOND', 1, 1, 1_000_000),
    },
    trackedKeys: read.integer('RECEIVER_TRACKED_KEYS', 10_000, 100, 10_000_000),
  };
}

/**
 * Reads the receiver configuration from command-line flags (`--port <n>`) and the environment, reporting every
 * missing or invalid setting in one `ConfigError`.
 */
export function loadReceiverConfig(env: Env, argv: readonly string[] = []): ReceiverConfig {
  const read = new ConfigReader(env, argv, { port: 'string' });
  const config: ReceiverConfig = {
    host: read.optional('RECEIVER_HOST') ?? '127.0.0.1',
    port: read.integer({ flag: 'port', env: 'RECEIVER_PORT' }, 8787, 0, 65535),
    adminHost: read.optional('RECEIVER_ADMIN_HOST') ?? '127.0.0.1',
    adminPort: read.integer('RECEIVER_ADMIN_PORT', 9465, 0, 65535),
    secrets: readSecrets(read),
    queueTokens: [],
    maxBodyBytes: read.integer('RECEIVER_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    requestTimeoutMs: read.integer('RECEIVER_REQUEST_TIMEOUT_MS', 10_000, 100, 600_000),
    temporalTimeoutMs: read.integer('RECEIVER_TEMPORAL_TIMEOUT_MS', 5_000, 100, 600_000),
    healthIntervalMs: read.integer('RECEIVER_HEALTH_INTERVAL_MS', 5_000, 100, 600_000),
    limits: readLimits(read),
    clientAddressHeader: read.optional('RECEIVER_CLIENT_ADDRESS_HEADER')?.toLowerCase(),
    temporal: readTemporal(read),
  };
  config.queueTokens = readQueueTokens(read, config.secrets);
  if (config.clientAddressHeader && !/^[a-z0-9-]{1,64}$/.test(config.clientAddressHeader)) {
    read.problems.push('RECEIVER_CLIENT_ADDRESS_HEADER must be a header name (letters, digits, dashes)');
  }
  if (config.adminPort !== 0 && config.adminPort === config.port) {
    read.problems.push('RECEIVER_ADMIN_PORT must differ from the callback port');
  }
  read.throwIfProblems('receiver');
  return config;
}

/** `--help` of the receiver process. */
export const RECEIVER_HELP = [
  'Usage: npm run receiver -- [--port <n>]',
  '',
  'Turns authenticated CI job callbacks into ciJobCallbackUpdate updates, until SIGINT/SIGTERM (docs/receiver.md).',
  '',
  'Options:',
  '  --port <n>  TCP port, 0-65535 (default: RECEIVER_PORT, else 8787)',
  '  --help      Show this help',
  '',
  'Environment:',
  ...[
    'CALLBACK_SECRET                        HMAC key of the callback URLs, >= 32 characters (required)',
    'CALLBACK_SECRET_PREVIOUS               The key before a rotation, still accepted',
    'RECEIVER_QUEUE_TOKEN                   Token of the queue callback URL /ci/queue?token=, >= 32 URL-safe characters',
    'RECEIVER_QUEUE_TOKEN_PREVIOUS          The token before a rotation, still accepted',
    'RECEIVER_HOST, RECEIVER_PORT           Interface and port of the callbacks (default 127.0.0.1, 8787)',
    'RECEIVER_ADMIN_HOST, RECEIVER_ADMIN_PORT  Private /healthz and /metrics (default 127.0.0.1, 9465)',
    'RECEIVER_HEALTH_INTERVAL_MS            Background Temporal health check, 100-600000 (default 5000)',
    'RECEIVER_CLIENT_BURST, _PER_SECOND     Callback requests per client address (default 60, 20)',
    'RECEIVER_WORKFLOW_BURST, _PER_SECOND   Temporal calls per workflow for unknown jobs (default 10, 1)',
    'RECEIVER_LIMITED_BURST, _PER_SECOND    Requests per workflow read from clients over their limit (default 3, 1)',
    'RECEIVER_TRACKED_KEYS                  Workflows and clients remembered, 100-10000000 (default 10000)',
    'RECEIVER_CLIENT_ADDRESS_HEADER         Header a trusted proxy sets to the client address (default: TCP peer)',
    'RECEIVER_MAX_BODY_BYTES                Largest callback body, 1024-67108864 (default 1048576)',
    'RECEIVER_REQUEST_TIMEOUT_MS            Time to receive a request, 100-600000 (default 10000)',
    'RECEIVER_TEMPORAL_TIMEOUT_MS           Time for Temporal to take one entry, 100-600000 (default 5000)',
    ...TEMPORAL_CONNECTION_HELP,
  ].map((line) => `  ${line}`),
  '',
  'Exit codes: 0 stopped by a signal, 1 failure, 2 configuration error.',
  '',
].join('\n');
