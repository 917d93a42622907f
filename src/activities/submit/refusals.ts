import { setTimeout as sleep } from 'node:timers/promises';
import { CiError } from '../../ci/errors';
import type { AsrJob } from '../../ci/types';

/** Sends one attempt makes while CI refuses them unprocessed (throttling); the last refusal is left to Temporal. */
const MAX_REFUSED_SENDS = 4;
/** Wait after the first refusal; doubled after each next one (0.5, 1, 2 s). */
const FIRST_BACKOFF_MS = 500;

/** A submit's accepted job and how many sends before it CI refused unprocessed (no job made by them). */
export interface AcceptedSubmit {
  job: AsrJob;
  refusedSends: number;
}

/**
 * Sends a submit until CI accepts it, backing off while CI refuses it before processing: throttling (`503 SlowDown`
 * and its kin) or a connection refused before anything was sent — the errors that are retryable with a known
 * outcome. Each such refusal made no job, so an attempt that absorbs them still knows how many jobs it can have made;
 * a retry by Temporal would have to list the step's jobs to find out. After {@link MAX_REFUSED_SENDS} refusals, or on
 * any other error, the error is thrown (and Temporal retries the attempt, with its backoff, when it is retryable).
 * `signal` (the attempt's own deadline) ends a backoff early.
 */
export async function submitThroughRefusals(send: () => Promise<AsrJob>, signal: AbortSignal): Promise<AcceptedSubmit> {
  for (let refusedSends = 0; ; refusedSends++) {
    try {
      return { job: await send(), refusedSends };
    } catch (err) {
      const refusedUnprocessed = err instanceof CiError && err.retryable && !err.outcomeUnknown;
      if (!refusedUnprocessed || refusedSends + 1 >= MAX_REFUSED_SENDS) throw err;
      try {
        await sleep(FIRST_BACKOFF_MS * 2 ** refusedSends, undefined, { signal });
      } catch {
        // Ended by the attempt's deadline or a cancellation: their reason, as the SDK calls report it.
        signal.throwIfAborted();
      }
    }
  }
}
