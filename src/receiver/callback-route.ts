import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackBinding, CallbackTokenVerdict } from '../callback/token';
import { inCallbackSpan } from '../observability/callback-trace';
import { verifyCallbackToken } from '../callback/token';
import type { Refusal } from './callback-answer';
import { answerDelivery, clientAddress, readNotifications } from './callback-answer';
import { callbackFormat, sendJson } from './http';
import type { CallbackTarget } from './callback-path';
import type { DeliverDeps } from './deliver';
import { deliverEntries } from './deliver';
import type { RejectReason } from './metrics';
import type { JobOwners } from './job-owners';
import type { RateLimiter } from './rate-limit';

/** What the callback route needs from the receiver. */
export interface CallbackRouteDeps extends DeliverDeps {
  secrets: readonly string[];
  /** Authenticated requests per client address. */
  clientLimiter: RateLimiter;
  /** Requests per workflow still read from clients over their limit, so each run's genuine callback has a way in. */
  limitedAllowance: RateLimiter;
  /** Header naming the client address when a trusted proxy sets it (its last value); else the socket's peer. */
  clientAddressHeader?: string;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  /** Tokens of the queue callback URL, current first; empty when queue-level callbacks are off. */
  queueTokens: readonly string[];
  /** Finds the workflow of a queue callback's job. */
  owners: JobOwners;
}

const TOKEN_STATUS: Record<Exclude<CallbackTokenVerdict, 'valid'>, Refusal> = {
  missing: [401, 'token_missing', true],
  malformed: [403, 'token_malformed', true],
  invalid: [403, 'token_invalid', true],
  expired: [403, 'token_expired', true],
};

/** The token, taken from the query only; a repeated `tag`, `exp` or `sig` makes it malformed rather than ambiguous. */
function tokenVerdict(deps: CallbackRouteDeps, binding: CallbackBinding, query: string): CallbackTokenVerdict {
  const params = new URLSearchParams(query);
  if (['tag', 'exp', 'sig'].some((name) => params.getAll(name).length > 1)) return 'malformed';
  const exp = params.get('exp');
  const sig = params.get('sig');
  if (binding.version === 2) binding.jobTag = params.get('tag') ?? undefined;
  return verifyCallbackToken({ ...binding, exp, sig, secrets: deps.secrets, now: deps.now() });
}

/**
 * `POST /ci/callback/v2/<base64url workflowId>?tag=&exp=&sig=` (and v1 `/ci/callback/<workflowId>?exp=&sig=`): token
 * first (nothing else is read before it passes), then content type, body, parse, and the entries (see
 * {@link deliverEntries}). 2xx only once every entry is delivered or decided.
 */
export async function handleCallback(
  deps: CallbackRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  target: CallbackTarget,
  query: string,
): Promise<void> {
  const binding: CallbackBinding = { ...target };
  const verdict = tokenVerdict(deps, binding, query);
  // Only a genuine token makes the workflow id worth logging; before that it is attacker-chosen text.
  const logId = verdict === 'valid' ? binding.workflowId : undefined;
  const reject = (status: number, reason: RejectReason, close = false, headers?: Record<string, string>): void => {
    deps.metrics.reject(reason);
    // Rate-limited and unauthenticated requests are counted (ci_callback_rejected_total), not logged: nothing limits
    // forged tokens before this point, and a flood must not become a log flood.
    if (reason !== 'rate_limited' && logId !== undefined) {
      deps.logger.warn('callback rejected', { status, reason, workflowId: logId });
    }
    sendJson(res, status, { error: reason }, { close, headers });
  };
  if (verdict !== 'valid') return reject(...TOKEN_STATUS[verdict]);
  await inCallbackSpan(query, res, async () => {
    const format = callbackFormat(req.headers['content-type']);
    if (!format) return reject(415, 'unsupported_media_type', true);
    // Charged before the body is read. A client over its limit is refused unread (cheap), except for a small allowance
    // per workflow: such a request is read only to find news for the run (CI's genuine callback), else answered 429.
    const nowMs = deps.now().getTime();
    const clientWait = deps.clientLimiter.take(clientAddress(deps.clientAddressHeader, req), nowMs);
    if (clientWait > 0 && deps.limitedAllowance.take(binding.workflowId, nowMs) > 0) {
      return reject(429, 'rate_limited', true, { 'retry-after': String(clientWait) });
    }

    const read = await readNotifications(deps, req, format);
    if ('aborted' in read) return void res.destroy();
    if ('refusal' in read) return reject(...read.refusal);
    answerDelivery(deps.metrics, res, await deliverEntries(deps, binding, read.notifications), reject, clientWait);
  });
}
