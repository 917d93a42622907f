import { toCiError } from './classify';
import { CiError } from './errors';
import type { ClassifyContext } from './classify';
import { inSdkSpan } from './http-spans';

/**
 * Runs one SDK call with cancellation and error classification. An already-aborted `signal` rejects before any
 * request; an abort in flight rejects at once with `signal.reason` (fetch's convention) and runs `onAbort` so the
 * caller can tear the request down. The SDK has no per-call abort, so a request that cannot be torn down may still
 * complete on the wire; its result is dropped.
 *
 * Keys refused as stale (see `CiError.credentialsRejected`) are dropped and the call is made once more with fresh ones
 * when the provider can give others: a refused request did nothing at CI, so repeating it is safe even for a submit
 * (`run` must build its request anew). A refusal of the fresh keys too is permanent; when the provider had no newer
 * keys yet (the same ones were refused again), the error stays retryable for a later attempt.
 */
export async function callSdk<T>(
  run: () => Promise<T>,
  ctx: ClassifyContext,
  signal?: AbortSignal,
  onAbort?: (reason: unknown) => void,
): Promise<T> {
  const refusedKey = ctx.credentials?.lastKeyId;
  try {
    return await attempt(run, ctx, signal, onAbort);
  } catch (err) {
    if (!(err instanceof CiError && err.credentialsRejected && err.retryable)) throw err;
    return attempt(run, { ...ctx, refreshedFrom: ctx.credentials?.lastKeyId ?? refusedKey ?? '' }, signal, onAbort);
  }
}

async function attempt<T>(
  run: () => Promise<T>,
  ctx: ClassifyContext,
  signal: AbortSignal | undefined,
  onAbort: ((reason: unknown) => void) | undefined,
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
