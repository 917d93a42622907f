import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { KnownKey } from './sts';

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

/** Why a signature was refused, with the HTTP status, COS error code and message to answer with. */
export interface SignatureRejection {
  status: 400 | 403;
  code:
    | 'AccessDenied'
    | 'InvalidAccessKeyId'
    | 'SignatureDoesNotMatch'
    | 'RequestTimeTooSkewed'
    | 'ExpiredToken'
    | 'InvalidToken';
  message: string;
  /** What was wrong, so a CI host can answer with CI's own code (`ci-auth.ts`). */
  reason: 'missing' | 'malformed' | 'unknownKey' | 'expired' | 'early' | 'mismatch' | 'tokenExpired' | 'tokenInvalid';
}

/**
 * Clock skew tolerated on `q-sign-time`/`q-key-time`, in seconds. COS documents none; 900 s (15 min) is the window S3
 * allows and what `RequestTimeTooSkewed` is answered beyond there (see docs/emulator.md).
 */
export const DEFAULT_CLOCK_SKEW_SECONDS = 900;

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

/** Where `now` falls against a `<start>;<end>` window widened by `skew` seconds each side. */
function windowCheck(window: string, nowSeconds: number, skew: number): 'ok' | 'early' | 'late' | 'malformed' {
  const [start, end] = window.split(';').map(Number);
  if (start === undefined || end === undefined || !Number.isFinite(start) || !Number.isFinite(end)) return 'malformed';
  if (nowSeconds < start - skew) return 'early';
  return nowSeconds > end + skew ? 'late' : 'ok';
}

function timeRejection(auth: CosAuthorization, nowSeconds: number, skew: number): SignatureRejection | undefined {
  const checks = [windowCheck(auth.signTime, nowSeconds, skew), windowCheck(auth.keyTime, nowSeconds, skew)];
  if (checks.includes('malformed')) {
    return { status: 403, code: 'AccessDenied', message: 'Invalid q-sign-time.', reason: 'malformed' };
  }
  if (checks.includes('late')) {
    return { status: 403, code: 'AccessDenied', message: 'Request has expired', reason: 'expired' };
  }
  if (checks.includes('early')) {
    const message = "The difference between the request time and the server's time is too large.";
    return { status: 403, code: 'RequestTimeTooSkewed', message, reason: 'early' };
  }
  return undefined;
}

/** The token a request carries: CI SDKs send `x-ci-security-token`, COS ones `x-cos-security-token` (or a query). */
function tokenOf(request: SignableRequest): string {
  return (
    headerValue(request.headers, 'x-cos-security-token') ||
    headerValue(request.headers, 'x-ci-security-token') ||
    request.query.find(([k]) => k === 'x-cos-security-token')?.[1] ||
    ''
  );
}

const INVALID_TOKEN = 'The provided token is malformed or otherwise invalid.';

function tokenRejection(request: SignableRequest, key: KnownKey, nowMs: number): SignatureRejection | undefined {
  const sent = tokenOf(request);
  if (!key.token) {
    if (!sent) return undefined;
    return { status: 400, code: 'InvalidToken', message: INVALID_TOKEN, reason: 'tokenInvalid' };
  }
  if (!sent) {
    return {
      status: 403,
      code: 'AccessDenied',
      message: 'Temporary keys need x-cos-security-token.',
      reason: 'tokenInvalid',
    };
  }
  if (!safeEqualText(sent, key.token.value)) {
    return { status: 400, code: 'InvalidToken', message: INVALID_TOKEN, reason: 'tokenInvalid' };
  }
  if (nowMs >= key.token.expiresMs) {
    return { status: 400, code: 'ExpiredToken', message: 'The provided token has expired.', reason: 'tokenExpired' };
  }
  return undefined;
}

function safeEqualText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a.toLowerCase());
  const right = Buffer.from(b.toLowerCase());
  return left.length === right.length && timingSafeEqual(left, right);
}

/** How {@link verifyCosRequest} finds keys and what it tolerates. */
export interface VerifyOptions {
  /** The key named by `q-ak` (permanent, or temporary with its token), `undefined` when unknown. */
  keyFor: (accessKeyId: string) => KnownKey | undefined;
  nowMs: number;
  /** Seconds of clock skew allowed on each side of the signature's window; default {@link DEFAULT_CLOCK_SKEW_SECONDS}. */
  skewSeconds?: number;
}

/**
 * Verifies a request's Authorization header and security token from its headers and query alone (never the body);
 * returns `undefined` when it is valid, else the COS-style rejection. Order: header present and sha1, key known,
 * time window (with skew), signature, then the token (so a forged request learns nothing about tokens).
 */
export function verifyCosRequest(request: SignableRequest, options: VerifyOptions): SignatureRejection | undefined {
  const header = headerValue(request.headers, 'authorization');
  if (!header) return { status: 403, code: 'AccessDenied', message: 'Access Denied.', reason: 'missing' };
  const auth = parseCosAuthorization(header);
  if (!auth || auth.algorithm.toLowerCase() !== 'sha1') {
    const message = 'Access Denied: the Authorization header is not a sha1 COS signature.';
    return { status: 403, code: 'AccessDenied', message, reason: 'malformed' };
  }
  const key = options.keyFor(auth.accessKeyId);
  if (!key) {
    const message = 'The Access Key Id you provided does not exist in our records.';
    return { status: 403, code: 'InvalidAccessKeyId', message, reason: 'unknownKey' };
  }
  const skew = options.skewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const late = timeRejection(auth, Math.floor(options.nowMs / 1000), skew);
  if (late) return late;
  if (!safeEqualHex(computeCosSignature(request, auth, key.secretKey), auth.signature)) {
    const message = 'The request signature we calculated does not match the signature you provided.';
    return { status: 403, code: 'SignatureDoesNotMatch', message, reason: 'mismatch' };
  }
  return tokenRejection(request, key, options.nowMs);
}
