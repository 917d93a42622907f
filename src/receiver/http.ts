import type { IncomingMessage, ServerResponse } from 'node:http';
import { TencentCiAsrError } from '../shared/errors';

/** Body formats CI sends. */
export type CallbackFormat = 'xml' | 'json';

const MEDIA_TYPES: Record<string, CallbackFormat> = {
  'application/xml': 'xml',
  'text/xml': 'xml',
  'application/json': 'json',
};

/**
 * The callback format named by a `Content-Type` header, or `undefined` when it is missing, not one CI uses, or
 * declares a charset other than UTF-8 (bodies are decoded as UTF-8).
 */
export function callbackFormat(contentType: string | undefined): CallbackFormat | undefined {
  if (!contentType) return undefined;
  const [type = '', ...params] = contentType.split(';');
  const format = MEDIA_TYPES[type.trim().toLowerCase()];
  if (!format) return undefined;
  for (const param of params) {
    const [name = '', value = ''] = param.split('=', 2).map((part) => part.trim().toLowerCase());
    if (name === 'charset' && !['utf-8', 'utf8', 'us-ascii', '"utf-8"'].includes(value)) return undefined;
  }
  return format;
}

/** Why a body could not be read. */
export type BodyProblem = 'too_large' | 'timeout' | 'aborted';

/** A request body that could not be read; `problem` picks the answer. */
export class BodyReadError extends TencentCiAsrError {
  override readonly name = 'BodyReadError';

  constructor(readonly problem: BodyProblem) {
    super(`request body could not be read: ${problem}`);
  }
}

/**
 * Reads a request body of at most `maxBytes`. A `Content-Length` over the limit fails before reading a byte; a
 * chunked body fails as soon as it crosses the limit, and nothing past the limit is buffered.
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.reject(new BodyReadError('too_large'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err?: BodyReadError): void => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onAborted).off('aborted', onAborted);
      if (err) {
        req.pause();
        reject(err);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) finish(new BodyReadError('too_large'));
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish();
    const onAborted = (): void => finish(new BodyReadError('aborted'));
    const timer = setTimeout(() => finish(new BodyReadError('timeout')), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onAborted).on('aborted', onAborted);
  });
}

/**
 * Answers with a small JSON body. When the request body was not read to the end the connection is closed after
 * the answer, so unread bytes are never parsed as a next request.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  options: { close?: boolean; headers?: Record<string, string> } = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(options.close ? { connection: 'close' } : {}),
    ...options.headers,
  });
  res.end(text);
}
