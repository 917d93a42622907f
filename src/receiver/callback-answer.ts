import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackPayloadProblem, CiCallbackNotification } from '../callback/notification';
import { CallbackPayloadError, parseJsonNotification, parseXmlNotification } from '../callback/notification';
import type { DeliveryReport } from './deliver';
import type { CallbackFormat } from './http';
import { BodyReadError, readBody, sendJson } from './http';
import type { ReceiverMetrics, RejectReason } from './metrics';
import type { SignalOutcome } from './temporal';

/** How a request is refused: status, metric reason, and whether to close the connection (body left unread). */
export type Refusal = [status: number, reason: RejectReason, close?: boolean];

/** Answers a refusal: counts it, then the fixed JSON body. */
export type Reject = (status: number, reason: RejectReason, close?: boolean, headers?: Record<string, string>) => void;

const SIGNAL_STATUS: Record<Exclude<SignalOutcome, 'ok'>, number> = {
  workflow_not_found: 404,
  workflow_closed: 410,
  temporal_rejected: 400,
  temporal_unavailable: 503,
};

/** Seconds a client is told to wait after a 503: about the time gRPC takes to reconnect. */
const UNAVAILABLE_RETRY_AFTER_S = 5;

const BODY_STATUS: Record<'too_large' | 'timeout', Refusal> = {
  too_large: [413, 'body_too_large', true],
  timeout: [408, 'request_timeout', true],
};

const PAYLOAD_STATUS: Record<CallbackPayloadProblem, Refusal> = {
  doctype: [400, 'doctype'],
  malformed: [400, 'malformed_body'],
  'missing-fields': [400, 'missing_fields'],
};

/** The client address: the last value of the trusted proxy's header when one is configured, else the TCP peer. */
export function clientAddress(header: string | undefined, req: IncomingMessage): string {
  const value = header ? req.headers[header] : undefined;
  const forwarded = (Array.isArray(value) ? value.join(',') : value)?.split(',').pop()?.trim();
  return forwarded || req.socket.remoteAddress || 'unknown';
}

/** Reads and parses the body: the notifications, how to refuse the request, or that the client went away. */
export async function readNotifications(
  limits: { maxBodyBytes: number; requestTimeoutMs: number },
  req: IncomingMessage,
  format: CallbackFormat,
): Promise<{ notifications: CiCallbackNotification[] } | { refusal: Refusal } | { aborted: true }> {
  try {
    const text = (await readBody(req, limits.maxBodyBytes, limits.requestTimeoutMs)).toString('utf8');
    return { notifications: format === 'xml' ? parseXmlNotification(text) : parseJsonNotification(text) };
  } catch (err) {
    if (err instanceof BodyReadError) {
      return err.problem === 'aborted' ? { aborted: true } : { refusal: BODY_STATUS[err.problem] };
    }
    if (err instanceof CallbackPayloadError) return { refusal: PAYLOAD_STATUS[err.problem] };
    throw err;
  }
}

/**
 * Answers a delivered callback from its report: a Temporal failure, 410 when every entry's run has ended, 429 when a
 * limit refused an entry (or the client is over its limit and brought no news), 403 when every entry was for another
 * job, else 200 with the counts.
 */
export function answerDelivery(
  metrics: ReceiverMetrics,
  res: ServerResponse,
  report: DeliveryReport,
  reject: Reject,
  clientWait = 0,
): void {
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
    metrics.reject('rate_limited');
    const headers = { 'retry-after': String(retryAfter) };
    return sendJson(res, 429, { error: 'rate_limited', accepted, ignored, refused }, { headers });
  }
  if (accepted + ignored === 0) return reject(403, 'wrong_job');
  metrics.accept();
  sendJson(res, 200, { accepted, ...(ignored ? { ignored } : {}), ...(refused ? { refused } : {}) });
}
