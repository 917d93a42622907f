import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { CALLBACK_PATH_PREFIX } from '../callback/token';
import type { CallbackRouteDeps } from './callback-route';
import { handleCallback } from './callback-route';
import { sendJson } from './http';

/** Splits `req.url` by hand: WHATWG URL parsing would resolve `..` and rewrite the path the token was minted for. */
function splitUrl(raw: string): { path: string; query: string } {
  const q = raw.indexOf('?');
  return q < 0 ? { path: raw, query: '' } : { path: raw.slice(0, q), query: raw.slice(q + 1) };
}

/** The workflow id of a callback path, or `undefined` when the path is not one segment under the prefix. */
function callbackWorkflowId(path: string): string | undefined {
  if (!path.startsWith(CALLBACK_PATH_PREFIX)) return undefined;
  const encoded = path.slice(CALLBACK_PATH_PREFIX.length);
  if (!encoded || encoded.includes('/')) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** Dispatches one request: the callback route, `/healthz`, `/metrics`, else 404. */
export async function route(deps: CallbackRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { path, query } = splitUrl(req.url ?? '/');
  const method = req.method ?? '';
  const workflowId = callbackWorkflowId(path);
  if (workflowId !== undefined) {
    if (method === 'POST') return handleCallback(deps, req, res, workflowId, query);
    return refuse(deps, res, 405, 'method_not_allowed', { allow: 'POST' });
  }
  if (path === '/healthz' || path === '/metrics') {
    if (method !== 'GET' && method !== 'HEAD')
      return refuse(deps, res, 405, 'method_not_allowed', { allow: 'GET, HEAD' });
    if (path === '/metrics') {
      const { contentType, body } = await deps.metrics.render();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
      return;
    }
    const ok = await deps.gateway.healthy();
    return sendJson(res, ok ? 200 : 503, { temporal: ok ? 'ok' : 'unavailable' });
  }
  return refuse(deps, res, 404, 'not_found');
}

function refuse(
  deps: CallbackRouteDeps,
  res: ServerResponse,
  status: number,
  reason: 'not_found' | 'method_not_allowed',
  headers?: Record<string, string>,
): void {
  deps.metrics.reject(reason);
  // The request body is never read on these paths, so the connection is not reused.
  sendJson(res, status, { error: reason }, { close: true, headers });
}

/** Minimal answer for requests Node's parser refused (bad syntax, header overflow, timeouts); no details echoed. */
export function onClientError(deps: CallbackRouteDeps, err: NodeJS.ErrnoException, socket: Duplex): void {
  const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  deps.metrics.reject(status === 408 ? 'request_timeout' : 'bad_request');
  if (!socket.writable || socket.writableEnded) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
