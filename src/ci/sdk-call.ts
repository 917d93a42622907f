import { toCiError } from './classify';
import type { ClassifyContext } from './classify';
import { inSdkSpan } from './http-spans';

/**
 * Runs one SDK call with cancellation and error classification. An already-aborted `signal` rejects before any
 * request; an abort in flight rejects at once with `signal.reason` (fetch's convention) and runs `onAbort` so the
 * caller can tear the request down. The SDK has no per-call abort, so a request that cannot be torn down may still
 * complete on the wire; its result is dropped.
 */
export async function callSdk<T>(
  run: () => Promise<T>,
  ctx: ClassifyContext,
  signal?: AbortSignal,
  onAbort?: (reason: unknown) => void,
): Promise<T> {
  signal?.throwIfAborted();
  const work = inSdkSpan(ctx.action, run);
  try {
    if (signal === undefined) return await work;
    return await raceAbort(work, signal, onAbort);
  } catch (err) {
    if (signal?.aborted && err === signal.reason) throw err;
    throw toCiError(err, ctx);
  }
}

async function raceAbort<T>(work: Promise<T>, signal: AbortSignal, onAbort?: (reason: unknown) => void): Promise<T> {
  let listener = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    listener = (): void => {
      onAbort?.(signal.reason);
      // Pass the aborter's reason on unchanged (fetch does the same; Temporal's is a CancelledFailure).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      reject(signal.reason);
    };
    signal.addEventListener('abort', listener, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', listener);
  }
}
