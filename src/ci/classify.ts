import { CiError, CiResponseError } from './errors';
import type { CiAction } from './errors';
import type { CredentialHooks } from './signing';

/** Codes that reject a request before it is processed and clear up when retried later. */
const THROTTLING_CODES = new Set([
  'SlowDown',
  'TooManyRequests',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'RequestRateLimitExceeded',
  'RequestLimit',
]);

/**
 * The SDK corrects its clock offset from the server's `Date` when it sees this code, so the next attempt is signed
 * with a good time.
 */
const CLOCK_SKEW_CODE = 'RequestTimeTooSkewed';

/**
 * Codes of a refused temporary token. COS documents none of them for CI hosts (see docs/emulator.md): `ExpiredToken`
 * and `InvalidToken` are the S3-style codes COS mirrors; `AccessDenied`/`InvalidAccessKeyId` count when their
 * message names the token.
 */
const TOKEN_CODES = new Set(['ExpiredToken', 'InvalidToken', 'TokenExpired', 'InvalidSecurityToken']);

/**
 * CI's own signature codes (CI error codes 1013, 1014, 1019; docs/emulator.md, row 20), answered 401 (or 403) on CI
 * hosts: with temporary keys they mean the keys went stale (CI has no token-specific code), so they are refreshed.
 * `MissingAuthorization` (1012) is not among them: a request without a signature is this client's bug, permanent.
 */
const CI_CREDENTIAL_CODES = new Set(['InvalidAuthorization', 'SignatureExpired', 'SecretidNotExist']);
const TOKEN_MESSAGE_CODES = new Set(['AccessDenied', 'InvalidAccessKeyId']);

/** What the SDK rejects with when the `getAuthorization` hook could not supply keys (see `SigningSession`). */
const NO_CREDENTIALS_MESSAGE = /^getAuthorization callback params/;

/** Network errors raised before the request could reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Where a failed call was going, for the error message and redaction. */
export interface ClassifyContext {
  action: CiAction;
  target: string;
  /** Strings that must never appear in an error message (credentials). */
  secrets: readonly string[];
  /** The credentials the request was signed with; absent = fixed keys (an expired token is then permanent). */
  credentials?: CredentialHooks;
  /**
   * The call is being repeated after CI refused the keys with this SecretId: a refusal of other (fresh) keys is then
   * permanent; a refusal of the same keys (the provider had none newer yet) stays retryable.
   */
  refreshedFrom?: string;
}

/** The fields of the SDK's error object this module reads (see cos-nodejs-sdk-v5 `util.error`). */
interface SdkErrorShape {
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  RequestId?: unknown;
  headers?: Record<string, unknown>;
  error?: { Code?: unknown; Message?: unknown; RequestId?: unknown } | string;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Replaces every credential in `text` so that no message or log leaks them. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

function requestIdOf(e: SdkErrorShape): string | undefined {
  const body = typeof e.error === 'object' ? e.error : undefined;
  return (
    str(e.headers?.['x-ci-request-id']) ??
    str(e.headers?.['x-cos-request-id']) ??
    str(body?.RequestId) ??
    str(e.RequestId)
  );
}

/** Retry classification for an HTTP error answer. */
function classifyStatus(statusCode: number, code: string): { retryable: boolean; outcomeUnknown: boolean } {
  if (statusCode === 429 || THROTTLING_CODES.has(code)) return { retryable: true, outcomeUnknown: false };
  if (statusCode >= 500) return { retryable: true, outcomeUnknown: true };
  if (code === CLOCK_SKEW_CODE) return { retryable: true, outcomeUnknown: false };
  return { retryable: false, outcomeUnknown: false };
}

/**
 * Whether CI or COS refused the request's keys in a way fresh temporary keys may cure: a token code, COS's
 * `AccessDenied`/`InvalidAccessKeyId` naming the token, or CI's signature codes (`SignatureExpired`,
 * `InvalidAuthorization`, `SecretidNotExist`) while the keys are refreshable.
 */
export function isTokenRejection(code: string, detail: string | undefined, refreshable = false): boolean {
  if (refreshable && CI_CREDENTIAL_CODES.has(code)) return true;
  return TOKEN_CODES.has(code) || (TOKEN_MESSAGE_CODES.has(code) && /token/i.test(detail ?? ''));
}

/**
 * A refused token is transient when the provider can hand out another one: the keys are dropped so the retry
 * (Temporal's, or the caller's) signs with fresh ones. Nothing was done by CI, so the outcome is known.
 */
function tokenRejection(ctx: ClassifyContext): {
  retryable: boolean;
  outcomeUnknown: boolean;
  credentialsRejected: boolean;
} {
  const keyId = ctx.credentials?.lastKeyId;
  ctx.credentials?.rejected();
  const freshKeysRefused = ctx.refreshedFrom !== undefined && keyId !== ctx.refreshedFrom;
  const refreshable = (ctx.credentials?.refreshable ?? false) && !freshKeysRefused;
  return { retryable: refreshable, outcomeUnknown: false, credentialsRejected: true };
}

/** Turns whatever the SDK rejected with into a classified {@link CiError}. */
export function toCiError(raw: unknown, ctx: ClassifyContext): CiError {
  if (raw instanceof CiError) return raw;
  const base = { action: ctx.action, target: ctx.target, cause: raw };
  if (raw instanceof CiResponseError) {
    // A 2xx arrived, so a submit did reach CI: the job may exist even though its id could not be read.
    const detail = redact(raw.message, ctx.secrets);
    return new CiError({ ...base, code: 'MalformedResponse', retryable: false, outcomeUnknown: true, detail });
  }
  const e = (typeof raw === 'object' && raw !== null ? raw : { message: String(raw) }) as SdkErrorShape;
  const body = typeof e.error === 'object' ? e.error : undefined;
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const code = str(body?.Code) ?? str(e.code) ?? (statusCode === undefined ? 'UnknownError' : String(statusCode));
  const detail = redact(str(body?.Message) ?? str(e.message) ?? '', ctx.secrets) || undefined;
  const requestId = requestIdOf(e);
  if (statusCode !== undefined) {
    const refreshable = ctx.credentials?.refreshable ?? false;
    const retry = isTokenRejection(code, detail, refreshable) ? tokenRejection(ctx) : classifyStatus(statusCode, code);
    return new CiError({ ...base, code, statusCode, requestId, detail, ...retry });
  }
  if (NO_CREDENTIALS_MESSAGE.test(str(e.message) ?? '')) {
    const why = 'the credential provider could not supply keys (see the worker log)';
    return new CiError({
      ...base,
      code: 'CredentialsUnavailable',
      detail: why,
      retryable: true,
      outcomeUnknown: false,
    });
  }
  // No HTTP answer: the network failed. Only errors raised before connecting prove the request was never sent.
  const outcomeUnknown = !NOT_SENT_CODES.has(code);
  return new CiError({ ...base, code, requestId, detail, retryable: true, outcomeUnknown });
}
