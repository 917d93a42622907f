import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackBinding, CallbackTokenVerdict } from '../callback/token';
import { inCallbackSpan } from '../observability/callback-trace';
import { verifyCallbackToken } from '../callback/token';
import type { CallbackPayloadProblem, CiCallbackNotification } from '../callback/notification';
import { CallbackPayloadError, parseJsonNotification, parseXmlNotification } from '../callback/notification';
import type { CallbackFormat } from './http';
import { BodyReadError, callbackFormat, readBody, sendJson } from './http';
import type { CallbackTarget } from './callback-path';
import type { DeliverDeps } from './deliver';
import { deliverEntries } from './deliver';
import type { RejectReason } from './metrics';
import type { RateLimiter } from './rate-limit';
import type { SignalOutcome } from './temporal';

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
}

/** How a request is refused: status, metric reason, and whether to close the connection (body left unread). */
type Refusal = [status: number, reason: RejectReason, close?: boolean];

const TOKEN_STATUS: Record<Exclude<CallbackTokenVerdict, 'valid'>, Refusal> = {
  missing: [401, 'token_missing', true],
  malformed: [403, 'token_malformed', true],
  invalid: [403, 'token_invalid', true],
  expired: [403, 'token_expired', true],
};

const SIGNAL_STATUS: Record<Exclude<SignalOutcome, 'ok'>, number> = {
  workflow_not_found: 404,
  workflow_closed: 410,
  temporal_rejected: 400,
  temporal_unavailable: 503,
};

/** Seconds a client is told to wait after a 503: about the time gRPC takes to reconnect. */
const UNAVAILABLE_RETRY_AFTER_S = 5;

/** The token, taken from the query only; a repeated `tag`, `exp` or `sig` makes it malformed rather than ambiguous. */
function tokenVerdict(deps: CallbackRouteDeps, binding: CallbackBinding, query: string): CallbackTokenVerdict {
  const params = new URLSearchParams(query);
  if (['tag', 'exp', 'sig'].some((name) => params.getAll(name).length > 1)) return 'malformed';
  const exp = params.get('exp');
  const sig = params.get('sig');
  if (binding.version === 2) binding.jobTag = params.get('tag') ?? undefined;
  return verifyCallbackToken({ ...binding, exp, sig, secrets: deps.secrets, now: deps.now() });
}

function clientAddress(deps: CallbackRouteDeps, req: IncomingMessage): string {
  const header = deps.clientAddressHeader ? req.headers[deps.clientAddressHeader] : undefined;
  const forwarded = (Array.isArray(header) ? header.join(',') : header)?.split(',').pop()?.trim();
  return forwarded || req.socket.remoteAddress || 'unknown';
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
    const clientWait = deps.clientLimiter.take(clientAddress(deps, req), nowMs);
    if (clientWait > 0 && deps.limitedAllowance.take(binding.workflowId, nowMs) > 0) {
      return reject(429, 'rate_limited', true, { 'retry-after': String(clientWait) });
    }

    const read = await readNotifications(deps, req, format);
    if ('aborted' in read) return void res.destroy();
    if ('refusal' in read) return reject(...read.refusal);
    const report = await deliverEntries(deps, binding, read.notifications);
    if (report.failure) {
      const retry =
        report.failure === 'temporal_unavailable' ? { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_S) } : undefined;
      return reject(SIGNAL_STATUS[report.failure], report.failure, false, retry);
    }
    const { accepted, ignored, refused } = report;
    if (report.allFinished) return reject(410, 'workflow_closed');
    // A client over its limit is told to wait unless the request carried news for a run (CI's genuine callback).
    const retryAfter = clientWait > 0 && accepted === 0 ? clientWait : report.retryAfter;
    if (retryAfter !== undefined) {
      deps.metrics.reject('rate_limited');
      const headers = { 'retry-after': String(retryAfter) };
      return sendJson(res, 429, { error: 'rate_limited', accepted, ignored, refused }, { headers });
    }
    if (accepted + ignored === 0) return reject(403, 'wrong_job');
    deps.metrics.accept();
    sendJson(res, 200, { accepted, ...(ignored ? { ignored } : {}), ...(refused ? { refused } : {}) });
  });
}

const BODY_STATUS: Record<'too_large' | 'timeout', Refusal> = {
  too_large: [413, 'body_too_large', true],
  timeout: [408, 'request_timeout', true],
};

const PAYLOAD_STATUS: Record<CallbackPayloadProblem, Refusal> = {
  doctype: [400, 'doctype'],
  malformed: [400, 'malformed_body'],
  'missing-fields': [400, 'missing_fields'],
};

/** Reads and parses the body: the notifications, how to refuse the request, or that the client went away. */
async function readNotifications(
  deps: CallbackRouteDeps,
  req: IncomingMessage,
  format: CallbackFormat,
): Promise<{ notifications: CiCallbackNotification[] } | { refusal: Refusal } | { aborted: true }> {
  try {
    const text = (await readBody(req, deps.maxBodyBytes, deps.requestTimeoutMs)).toString('utf8');
    return { notifications: format === 'xml' ? parseXmlNotification(text) : parseJsonNotification(text) };
  } catch (err) {
    if (err instanceof BodyReadError) {
      return err.problem === 'aborted' ? { aborted: true } : { refusal: BODY_STATUS[err.problem] };
    }
    if (err instanceof CallbackPayloadError) return { refusal: PAYLOAD_STATUS[err.problem] };
    throw err;
  }
}
