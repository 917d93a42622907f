import { createHash, timingSafeEqual } from 'node:crypto';

/** Path of queue-level callbacks: one URL for every job of the queues whose `NotifyConfig` points here. */
export const QUEUE_CALLBACK_PATH = '/ci/queue';

/** Outcome of {@link verifyQueueToken}. */
export type QueueTokenVerdict = 'valid' | 'missing' | 'malformed' | 'invalid';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Checks the `token` query parameter of a queue callback against every configured queue token (current, then the
 * previous one during a rotation). The tokens are compared as SHA-256 digests with `timingSafeEqual`, so neither the
 * position of the first differing character nor the tokens' lengths show in the timing, and every token is always
 * compared. A repeated `token` is malformed rather than ambiguous.
 */
export function verifyQueueToken(query: string, tokens: readonly string[]): QueueTokenVerdict {
  const given = new URLSearchParams(query).getAll('token');
  if (given.length === 0 || given[0] === '') return 'missing';
  if (given.length > 1 || given[0]!.length > 1024) return 'malformed';
  const candidate = digest(given[0]!);
  let matched = false;
  for (const token of tokens) {
    if (token && timingSafeEqual(candidate, digest(token))) matched = true;
  }
  return matched ? 'valid' : 'invalid';
}

/** Builds the URL to set as a queue's `NotifyConfig.Url`: `<publicBaseUrl>/ci/queue?token=<token>`. */
export function queueCallbackUrl(publicBaseUrl: string, token: string): string {
  if (!token) throw new TypeError('queueCallbackUrl needs a non-empty token');
  return `${publicBaseUrl.replace(/\/+$/, '')}${QUEUE_CALLBACK_PATH}?token=${encodeURIComponent(token)}`;
}
