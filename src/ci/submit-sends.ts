import { AsyncLocalStorage } from 'node:async_hooks';

/** The submits signed so far inside one {@link countSubmitSends} scope. */
interface SendTally {
  sends: number;
}

const scope = new AsyncLocalStorage<SendTally>();

/**
 * Called by the signing hook for every request the SDK is about to send. The SDK asks the hook for a signature before
 * each send, its own retries included (base.js `submitRequest` → `getAuthorizationAsync` once per try), so counting
 * the signed `POST /asr_jobs` counts the submits that went on the wire.
 */
export function noteSignedRequest(method: string | undefined, pathname: string | undefined): void {
  const tally = scope.getStore();
  if (tally && method?.toUpperCase() === 'POST' && /\/asr_jobs\/?$/.test(pathname ?? '')) tally.sends += 1;
}

/**
 * Runs `submit` and reports how many submit requests it signed: 1 means CI can hold no other job from it. The body
 * is a stream, which the SDK never re-sends (see `CiAsrClient.submit`); the count proves it for the version in use
 * rather than trusting that reading of its source. 0 means the requests were not signed through our hook (a client
 * built elsewhere), so nothing is known.
 */
export async function countSubmitSends<T>(submit: () => Promise<T>): Promise<{ value: T; sends: number }> {
  const tally: SendTally = { sends: 0 };
  const value = await scope.run(tally, submit);
  return { value, sends: tally.sends };
}
