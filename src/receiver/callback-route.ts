import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackTokenVerdict } from '../callback/token';
import { inCallbackSpan } from '../observability/callback-trace';
import { verifyCallbackToken } from '../callback/token';
import type { CallbackPayloadProblem, CiCallbackNotification } from '../callback/notification';
import { CallbackPayloadError, parseJsonNotification, parseXmlNotification } from '../callback/notification';
import type { CallbackFormat } from './http';
import { BodyReadError, callbackFormat, readBody, sendJson } from './http';
import type { ReceiverLogger } from './logger';
import type { ReceiverMetrics, RejectReason } from './metrics';
import type { SignalOutcome, TemporalGateway } from './temporal';

/** What the callback route needs from the receiver. */
export interface CallbackRouteDeps {
  secrets: readonly string[];
  gateway: TemporalGateway;
  metrics: ReceiverMetrics;
  logger: ReceiverLogger;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  now: () => Date;
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

/** The token, taken from the query only; a repeated `exp` or `sig` makes it malformed rather than ambiguous. */
function tokenVerdict(deps: CallbackRouteDeps, workflowId: string, query: string): CallbackTokenVerdict {
  const params = new URLSearchParams(query);
  if (params.getAll('exp').length > 1 || params.getAll('sig').length > 1) return 'malformed';
  const exp = params.get('exp');
  const sig = params.get('sig');
  return verifyCallbackToken({ workflowId, exp, sig, secrets: deps.secrets, now: deps.now() });
}

/**
 * `POST /ci/callback/<workflowId>?exp=&sig=`: token first (nothing else is read before it passes), then content type,
 * body, parse, and one signal per `JobsDetail` entry. 2xx only once Temporal has accepted every signal.
 */
export async function handleCallback(
  deps: CallbackRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  workflowId: string,
  query: string,
): Promise<void> {
  const verdict = tokenVerdict(deps, workflowId, query);
  // Only a genuine token makes the workflow id worth logging; before that it is attacker-chosen text.
  const logId = verdict === 'valid' ? workflowId : undefined;
  const reject = (status: number, reason: RejectReason, close = false): void => {
    deps.metrics.reject(reason);
    deps.logger.warn('callback rejected', { status, reason, workflowId: logId });
    sendJson(res, status, { error: reason }, { close });
  };
  if (verdict !== 'valid') return reject(...TOKEN_STATUS[verdict]);
  await inCallbackSpan(query, res, async () => {
    const format = callbackFormat(req.headers['content-type']);
    if (!format) return reject(415, 'unsupported_media_type', true);

    const read = await readNotifications(deps, req, format);
    if ('aborted' in read) return void res.destroy();
    if ('refusal' in read) return reject(...read.refusal);
    const { notifications } = read;
    const outcome = await signalAll(deps, workflowId, notifications);
    if (outcome !== 'ok') return reject(SIGNAL_STATUS[outcome], outcome);
    deps.metrics.accept();
    sendJson(res, 200, { accepted: notifications.length });
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

async function signalAll(
  deps: CallbackRouteDeps,
  workflowId: string,
  notifications: CiCallbackNotification[],
): Promise<SignalOutcome> {
  const receivedAt = deps.now().toISOString();
  for (const { jobId, state, code, message } of notifications) {
    const started = performance.now();
    const outcome = await deps.gateway.signal(workflowId, { jobId, state, code, message, receivedAt });
    deps.metrics.observeSignal((performance.now() - started) / 1000, outcome);
    if (outcome !== 'ok') return outcome;
    deps.logger.info('callback signalled', { workflowId, jobId, state });
  }
  return 'ok';
}
