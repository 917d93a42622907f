import { invalidArgument } from '../errors';
import type { ApiResponse } from '../http-util';
import type { RequestTarget } from '../request-target';
import type { XmlObject, XmlValue } from '../xml';
import { buildXml } from '../xml';

/**
 * A 200 answer with an XML `Response` document whose first child is `RequestId`, the request's `x-ci-request-id`:
 * every setup answer Tencent documents starts so (asrbucket, asrqueue, template, hot-word tables; ci-wire-facts row
 * 4). `target` undefined: no `RequestId`, for the one setup answer whose documented sample has none (`PUT
 * /template`, row 4). Job answers do not use this.
 */
export function xmlResponse(target: Pick<RequestTarget, 'requestId'> | undefined, response: XmlObject): ApiResponse {
  const body = buildXml({ Response: target ? { RequestId: target.requestId, ...response } : response });
  return { status: 200, headers: { 'content-type': 'application/xml' }, body };
}

/** `pageNumber`/`pageSize` of a query: whole numbers ≥ 1, defaults 1 and 10, size at most 100 (assumed limit). */
export function paging(query: ReadonlyMap<string, string>): { number: number; size: number } {
  const read = (name: string, fallback: number, max: number): number => {
    const raw = query.get(name);
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
      throw invalidArgument(`${name} must be a whole number from 1 to ${max}; got "${raw}".`);
    }
    return Number(raw);
  };
  return { number: read('pageNumber', 1, 1_000_000), size: read('pageSize', 10, 100) };
}

/** One page of `items` plus CI's paging fields. */
export function page<T>(items: readonly T[], p: { number: number; size: number }): { slice: T[]; fields: XmlObject } {
  const slice = items.slice((p.number - 1) * p.size, p.number * p.size);
  return {
    slice,
    fields: { TotalCount: String(items.length), PageNumber: String(p.number), PageSize: String(p.size) },
  };
}

/** A comma list from a query parameter; `undefined` when absent or empty. */
export function commaList(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return items.length > 0 ? items : undefined;
}

/** Children of `node` named `name` as objects (a single element or repeated ones). */
export function children(node: XmlObject, name: string): XmlObject[] {
  const value: XmlValue | undefined = node[name];
  if (value === undefined || value === '') return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    if (typeof item !== 'object' || Array.isArray(item))
      throw invalidArgument(`${name} must be an element with children.`);
    return item;
  });
}

/** A setup request as the template and hot-word handlers see it; `id` is the path segment after the base. */
export interface SetupRequest {
  method: string;
  target: RequestTarget;
  id: string | undefined;
  body: Buffer;
}
