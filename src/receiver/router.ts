import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CallbackRouteDeps } from './callback-route';
import { handleCallback } from './callback-route';
import { callbackTarget, splitUrl } from './callback-path';
import type { HealthMonitor } from './health';
import { sendJson } from './http';
import type { ReceiverMetrics } from './metrics';
import { handleQueueCallback } from './queue-route';
import { QUEUE_CALLBACK_PATH } from './queue-token';

/** What the private admin listener needs. */
export interface AdminRouteDeps {
  metrics: ReceiverMetrics;
  health: HealthMonitor;
}

/**
 * Dispatches one request of the public listener: the per-workflow callback route, the queue callback route (only when
 * queue tokens are configured), else 404 (health and metrics are not here).
 */
export async function route(deps: CallbackRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { path, query } = splitUrl(req.url ?? '/');
  if (path === QUEUE_CALLBACK_PATH && deps.queueTokens.length > 0) {
    if (req.method === 'POST') return handleQueueCallback(deps, req, res, query);
    return refuse(deps.metrics, res, 405, 'method_not_allowed', { allow: 'POST' });
  }
  const target = callbackTarget(path);
  if (target === undefined) return refuse(deps.metrics, res, 404, 'not_found');
  if (req.method === 'POST') return handleCallback(deps, req, res, target, query);
  return refuse(deps.metrics, res, 405, 'method_not_allowed', { allow: 'POST' });
}

/** Dispatches one request of the private admin listener: `GET /healthz`, `GET /metrics`, else 404. */
export async function adminRoute(deps: AdminRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { path } = splitUrl(req.url ?? '/');
  if (path !== '/healthz' && path !== '/metrics') return refuse(deps.metrics, res, 404, 'not_found');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return refuse(deps.metrics, res, 405, 'method_not_allowed', { allow: 'GET, HEAD' });
  }
  if (path === '/metrics') {
    const { contentType, body } = await deps.metrics.render();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
    return;
  }
  const state = await deps.health.current();
  return sendJson(res, state.temporal === 'ok' ? 200 : 503, { ...state });
}

function refuse(
  metrics: ReceiverMetrics,
  res: ServerResponse,
  status: number,
  reason: 'not_found' | 'method_not_allowed',
  headers?: Record<string, string>,
): void {
  metrics.reject(reason);
  // The request body is never read on these paths, so the connection is not reused.
  sendJson(res, status, { error: reason }, { close: true, headers });
}

/** Minimal answer for requests Node's parser refused (bad syntax, header overflow, timeouts); no details echoed. */
export function onClientError(metrics: ReceiverMetrics, err: NodeJS.ErrnoException, socket: Duplex): void {
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  metrics.reject(status === 408 ? 'request_timeout' : 'bad_request');
  if (!socket.writable || socket.writableEnded) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
