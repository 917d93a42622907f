import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The parts of a request that a COS `q-sign-algorithm=sha1` signature covers. */
export interface SignableRequest {
  /** HTTP method, any case. */
  method: string;
  /** Decoded request path starting with `/`, without the query string. */
  pathname: string;
  /** Decoded query parameters (a name without `=` has the value `''`). */
  query: ReadonlyArray<readonly [string, string]>;
  /** Request headers with lower-case names, as node's `IncomingMessage.headers` gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The fields of an `Authorization: q-sign-algorithm=sha1&...` value. */
export interface CosAuthorization {
  algorithm: string;
  accessKeyId: string;
  signTime: string;
  keyTime: string;
  headerList: string[];
  urlParamList: string[];
  signature: string;
}

/** Why a signature was refused, with the COS error code and message to answer with (all HTTP 403). */
export interface SignatureRejection {
  code: 'AccessDenied' | 'InvalidAccessKeyId' | 'SignatureDoesNotMatch';
  message: string;
}

/** `encodeURIComponent` plus `! ' ( ) *`, as every COS SDK encodes names and values before signing. */
export function cosEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Parses an Authorization value; `undefined` when a required field is missing. */
export function parseCosAuthorization(value: string): CosAuthorization | undefined {
  const fields = new Map<string, string>();
  for (const part of value.trim().split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const required = ['q-sign-algorithm', 'q-ak', 'q-sign-time', 'q-key-time', 'q-signature'];
  if (required.some((name) => !fields.get(name))) return undefined;
  const list = (name: string): string[] => (fields.get(name) ?? '').split(';').filter((s) => s.length > 0);
  return {
    algorithm: fields.get('q-sign-algorithm') ?? '',
    accessKeyId: fields.get('q-ak') ?? '',
    signTime: fields.get('q-sign-time') ?? '',
    keyTime: fields.get('q-key-time') ?? '',
    headerList: list('q-header-list'),
    urlParamList: list('q-url-param-list'),
    signature: fields.get('q-signature') ?? '',
  };
}

function headerValue(headers: SignableRequest['headers'], name: string): string {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function queryValue(query: SignableRequest['query'], name: string): string {
  return query.find(([key]) => cosEncode(key).toLowerCase() === name)?.[1] ?? '';
}

/** The `HttpString` of step 4: method, path, signed parameters and signed headers, each line `\n`-terminated. */
export function httpString(
  request: SignableRequest,
  auth: Pick<CosAuthorization, 'headerList' | 'urlParamList'>,
): string {
  const params = auth.urlParamList.map((name) => `${name}=${cosEncode(queryValue(request.query, name))}`);
  const headers = auth.headerList.map((name) => `${name}=${cosEncode(headerValue(request.headers, name))}`);
  return [request.method.toLowerCase(), request.pathname, params.join('&'), headers.join('&'), ''].join('\n');
}

/** Computes `q-signature` for a request from the secret key and the parsed Authorization lists and times. */
export function computeCosSignature(request: SignableRequest, auth: CosAuthorization, secretKey: string): string {
  const signKey = createHmac('sha1', secretKey).update(auth.keyTime).digest('hex');
  const digest = createHash('sha1')
    .update(Buffer.from(httpString(request, auth), 'utf8'))
    .digest('hex');
  const stringToSign = `sha1\n${auth.signTime}\n${digest}\n`;
  return createHmac('sha1', signKey).update(stringToSign).digest('hex');
}

function withinWindow(window: string, nowSeconds: number): boolean {
  const [start, end] = window.split(';').map(Number);
  if (start === undefined || end === undefined || !Number.isFinite(start) || !Number.isFinite(end)) return false;
  return start <= nowSeconds && nowSeconds <= end;
}

function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase());
  const right = Buffer.from(b.toLowerCase());
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Verifies a request's Authorization header against the configured credentials at `nowMs`; returns `undefined` when
 * it is valid, else the COS-style rejection.
 */
export function verifyCosRequest(
  request: SignableRequest,
  credentials: { secretId: string; secretKey: string },
  nowMs: number,
): SignatureRejection | undefined {
  const header = headerValue(request.headers, 'authorization');
  if (!header) return { code: 'AccessDenied', message: 'Access Denied.' };
  const auth = parseCosAuthorization(header);
  if (!auth || auth.algorithm.toLowerCase() !== 'sha1') {
    return { code: 'AccessDenied', message: 'Access Denied: the Authorization header is not a sha1 COS signature.' };
  }
  if (auth.accessKeyId !== credentials.secretId) {
    return { code: 'InvalidAccessKeyId', message: 'The Access Key Id you provided does not exist in our records.' };
  }
  const nowSeconds = Math.floor(nowMs / 1000);
  if (!withinWindow(auth.signTime, nowSeconds) || !withinWindow(auth.keyTime, nowSeconds)) {
    return { code: 'AccessDenied', message: 'Request has expired' };
  }
  if (!safeEqualHex(computeCosSignature(request, auth, credentials.secretKey), auth.signature)) {
    return {
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  }
  return undefined;
}
