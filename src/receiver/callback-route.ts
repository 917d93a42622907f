import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackTokenVerdict } from '../callback/token';
import { verifyCallbackToken } from '../callback/token';
import type { CiCallbackNotification } from '../callback/notification';
import { CallbackPayloadError, parseJsonNotification, parseXmlNotification } from '../callback/notification';
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

const TOKEN_STATUS: Record<Exclude<CallbackTokenVerdict, 'valid'>, [number, RejectReason]> = {
  missing: [401, 'token_missing'],
  malformed: [403, 'token_malformed'],
  invalid: [403, 'token_invalid'],
  expired: [403, 'token_expired'],
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
  if (verdict !== 'valid') return reject(...TOKEN_STATUS[verdict], true);
  const format = callbackFormat(req.headers['content-type']);
  if (!format) return reject(415, 'unsupported_media_type', true);

  let notifications: CiCallbackNotification[];
  try {
    const body = await readBody(req, deps.maxBodyBytes, deps.requestTimeoutMs);
    const text = body.toString('utf8');
    notifications = format === 'xml' ? parseXmlNotification(text) : parseJsonNotification(text);
  } catch (err) {
    if (err instanceof BodyReadError) {
      if (err.problem === 'aborted') return void res.destroy();
      return reject(
        err.problem === 'too_large' ? 413 : 408,
        err.problem === 'too_large' ? 'body_too_large' : 'request_timeout',
        true,
      );
    }
    if (err instanceof CallbackPayloadError) {
      return reject(
        400,
        err.problem === 'doctype' ? 'doctype' : err.problem === 'malformed' ? 'malformed_body' : 'missing_fields',
      );
    }
    throw err;
  }
  const outcome = await signalAll(deps, workflowId, notifications);
  if (outcome !== 'ok') return reject(SIGNAL_STATUS[outcome], outcome);
  deps.metrics.accept();
  sendJson(res, 200, { accepted: notifications.length });
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
