import { parseArgs } from 'node:util';
import type { ConnectionOptions } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';

/** Everything the receiver process needs, read once at start. */
export interface ReceiverConfig {
  /** Interface to bind (`RECEIVER_HOST`, default `127.0.0.1`). */
  host: string;
  /** TCP port (`--port`, else `RECEIVER_PORT`, default 8787). */
  port: number;
  /** `CALLBACK_SECRET`, then `CALLBACK_SECRET_PREVIOUS` when set. */
  secrets: string[];
  /** `RECEIVER_MAX_BODY_BYTES`, default 1 MiB. */
  maxBodyBytes: number;
  /** `RECEIVER_REQUEST_TIMEOUT_MS`, default 10 000. */
  requestTimeoutMs: number;
  /** `RECEIVER_TEMPORAL_TIMEOUT_MS`, default 5 000. */
  temporalTimeoutMs: number;
  /** Temporal connection from `@temporalio/envconfig` (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TLS, API key). */
  temporal: { connectionOptions: ConnectionOptions; namespace: string };
}

/** The configuration is incomplete or invalid; `problems` lists every issue found. */
export class ReceiverConfigError extends Error {
  constructor(
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`Invalid receiver configuration:\n- ${problems.join('\n- ')}`, options);
    this.name = 'ReceiverConfigError';
  }
}

/** HMAC keys shorter than this are too easy to guess; 32 characters of random text is the documented minimum. */
const MIN_SECRET_LENGTH = 32;

function integer(
  problems: string[],
  name: string,
  value: string | undefined,
  fallback: number,
  [min, max]: [number, number],
): number {
  if (value === undefined || value === '') return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return n;
}

function secrets(problems: string[], env: Record<string, string | undefined>): string[] {
  const current = env.CALLBACK_SECRET;
  const previous = env.CALLBACK_SECRET_PREVIOUS;
  // Never echo a secret's value, only what is wrong with it.
  if (!current) problems.push('CALLBACK_SECRET is required');
  else if (current.length < MIN_SECRET_LENGTH)
    problems.push(`CALLBACK_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  if (previous && previous.length < MIN_SECRET_LENGTH) {
    problems.push(`CALLBACK_SECRET_PREVIOUS must be at least ${MIN_SECRET_LENGTH} characters when set`);
  }
  return [current, previous].filter((s): s is string => Boolean(s));
}

function temporal(problems: string[], env: Record<string, string | undefined>): ReceiverConfig['temporal'] {
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  try {
    const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars: vars });
    if (!connectionOptions.address)
      problems.push('TEMPORAL_ADDRESS (or an address in the Temporal config profile) is required');
    const { address, tls, apiKey, metadata } = connectionOptions;
    return { connectionOptions: { address, tls, apiKey, metadata }, namespace: namespace ?? 'default' };
  } catch (err) {
    problems.push(`Temporal client configuration: ${err instanceof Error ? err.message : String(err)}`);
    return { connectionOptions: {}, namespace: 'default' };
  }
}

/**
 * Reads the receiver configuration from command-line flags (`--port <n>`) and the environment, reporting every
 * missing or invalid variable in one {@link ReceiverConfigError}.
 */
export function loadReceiverConfig(
  env: Record<string, string | undefined>,
  argv: readonly string[] = [],
): ReceiverConfig {
  const problems: string[] = [];
  let flags: { port?: string } = {};
  try {
    flags = parseArgs({ args: [...argv], options: { port: { type: 'string' } }, strict: true }).values;
  } catch (err) {
    problems.push(`command line: ${err instanceof Error ? err.message : String(err)}`);
  }
  const config: ReceiverConfig = {
    host: env.RECEIVER_HOST || '127.0.0.1',
    port: integer(
      problems,
      flags.port !== undefined ? '--port' : 'RECEIVER_PORT',
      flags.port ?? env.RECEIVER_PORT,
      8787,
      [0, 65535],
    ),
    secrets: secrets(problems, env),
    maxBodyBytes: integer(problems, 'RECEIVER_MAX_BODY_BYTES', env.RECEIVER_MAX_BODY_BYTES, 1024 * 1024, [
      1024,
      64 * 1024 * 1024,
    ]),
    requestTimeoutMs: integer(
      problems,
      'RECEIVER_REQUEST_TIMEOUT_MS',
      env.RECEIVER_REQUEST_TIMEOUT_MS,
      10_000,
      [100, 600_000],
    ),
    temporalTimeoutMs: integer(
      problems,
      'RECEIVER_TEMPORAL_TIMEOUT_MS',
      env.RECEIVER_TEMPORAL_TIMEOUT_MS,
      5_000,
      [100, 600_000],
    ),
    temporal: temporal(problems, env),
  };
  if (problems.length > 0) throw new ReceiverConfigError(problems);
  return config;
}
