import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors';
import { buildXml } from './xml';

/** What a route handler answers; `reset` destroys the connection instead of answering (the lost-response fault). */
export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  reset?: boolean;
}

/** The largest request body accepted (CI's own limit for normal ASR media is 512 MB; the emulator keeps it small). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A request id in the style of CI's `x-ci-request-id` (base64 text). */
export function newRequestId(): string {
  return Buffer.from(`${Date.now().toString(16)}_${randomBytes(6).toString('hex')}`).toString('base64');
}

/** Reads the whole request body; throws `EntityTooLarge` past {@link MAX_BODY_BYTES}. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(400, 'EntityTooLarge', 'The request body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The `<Error>` document CI and COS answer with. */
export function errorResponse(err: ApiError, requestId: string, resource?: string): ApiResponse {
  const error: Record<string, string> = { Code: err.code, Message: err.message };
  if (resource !== undefined) error.Resource = resource;
  error.RequestId = requestId;
  error.TraceId = requestId;
  return { status: err.status, headers: { 'content-type': 'application/xml' }, body: buildXml({ Error: error }) };
}

/** A JSON answer (admin API). */
export function jsonResponse(status: number, value: unknown): ApiResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: `${JSON.stringify(value, null, 2)}\n` };
}

/** Writes an {@link ApiResponse}, or resets the connection when asked to. */
export function sendResponse(res: ServerResponse, response: ApiResponse, method: string): void {
  if (response.reset) {
    res.socket?.destroy();
    return;
  }
  const body = response.body ?? '';
  const headers = { ...response.headers, 'content-length': String(Buffer.byteLength(body)) };
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : body);
}
