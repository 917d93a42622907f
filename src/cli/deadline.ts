import type { Client } from '@temporalio/client';
import { TencentCiAsrError } from '../shared/errors';

/** Milliseconds any single Temporal call of the CLI may take (start, describe, list, describe task queue). */
export const RPC_TIMEOUT_MS = 10_000;

/** Milliseconds a query may take: a workflow whose worker is down cannot answer at all. */
export const QUERY_TIMEOUT_MS = 5_000;

/** A Temporal call that did not answer within its deadline. Exit code 3, like an unreachable server. */
export class TemporalTimeoutError extends TencentCiAsrError {
  override readonly name = 'TemporalTimeoutError';

  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(`Temporal did not answer ${what} within ${timeoutMs / 1000} s.`, options);
  }
}

/** gRPC status codes found anywhere in an error's cause chain (the SDK wraps them in `ServiceError`). */
function grpcCodes(err: unknown): number[] {
  const codes: number[] = [];
  for (let current = err, depth = 0; current instanceof Error && depth < 8; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number') codes.push(code);
    current = current.cause;
  }
  return codes;
}

/** gRPC DEADLINE_EXCEEDED and CANCELLED (what an expired client deadline looks like). */
const DEADLINE_CODES = [4, 1];

/** Whether `err` says the server could not be reached (gRPC UNAVAILABLE). */
export function isUnavailable(err: unknown): boolean {
  return grpcCodes(err).includes(14);
}

/** Whether `err` is an expired deadline of a gRPC call. */
export function isDeadlineExceeded(err: unknown): boolean {
  return grpcCodes(err).some((code) => DEADLINE_CODES.includes(code));
}

/**
 * Runs `fn` (one or a few Temporal calls on `client`) with a gRPC deadline, so no call can hang the CLI; an expired
 * deadline becomes a {@link TemporalTimeoutError} naming `what`.
 */
export async function withDeadline<T>(
  client: Client,
  what: string,
  fn: () => Promise<T>,
  timeoutMs = RPC_TIMEOUT_MS,
): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + timeoutMs, fn);
  } catch (err) {
    if (isDeadlineExceeded(err)) throw new TemporalTimeoutError(what, timeoutMs, { cause: err });
    throw err;
  }
}
