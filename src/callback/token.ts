import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Callback URL tokens. CI does not sign its callbacks, so the URL itself carries the proof: an expiry and an
 * HMAC-SHA256 over the versioned string `ci-callback:v1\n<workflowId>\n<exp>`, keyed with the receiver's secret.
 * The version prefix lets a future format change never validate old MACs by accident; the newlines cannot appear in
 * `exp` (digits only), so workflow id and expiry cannot be shifted into one another.
 */
const MAC_VERSION = 'ci-callback:v1';

/** Path prefix under which the receiver serves callbacks; the URL-encoded workflow id follows it. */
export const CALLBACK_PATH_PREFIX = '/ci/callback/';

/** SHA-256 output length in bytes; a well-formed `sig` decodes to exactly this many. */
const MAC_BYTES = 32;

/** `exp` is unix seconds: a positive integer of at most 12 digits (year 33658), no sign, no leading zero. */
const EXP_PATTERN = /^[1-9][0-9]{0,11}$/;

/** Unpadded base64url of 32 bytes is 43 characters; the last one carries only 4 meaningful bits. */
const SIG_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** The MAC of one workflow id and expiry under one secret. */
function mac(secret: string, workflowId: string, exp: string): Buffer {
  return createHmac('sha256', secret).update(`${MAC_VERSION}\n${workflowId}\n${exp}`, 'utf8').digest();
}

/**
 * Builds `<publicBaseUrl>/ci/callback/<encodeURIComponent(workflowId)>?exp=<unix seconds>&sig=<base64url HMAC-SHA256>`.
 * A trailing slash on `publicBaseUrl` is ignored. `expiresAt` is rounded down to whole seconds.
 */
export function mintCallbackUrl(opts: {
  publicBaseUrl: string;
  workflowId: string;
  secret: string;
  expiresAt: Date;
}): string {
  if (!opts.secret) throw new TypeError('mintCallbackUrl needs a non-empty secret');
  if (!opts.workflowId) throw new TypeError('mintCallbackUrl needs a non-empty workflowId');
  const seconds = Math.floor(opts.expiresAt.getTime() / 1000);
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new RangeError('mintCallbackUrl needs a valid expiresAt');
  const exp = String(seconds);
  const sig = mac(opts.secret, opts.workflowId, exp).toString('base64url');
  const base = opts.publicBaseUrl.replace(/\/+$/, '');
  return `${base}${CALLBACK_PATH_PREFIX}${encodeURIComponent(opts.workflowId)}?exp=${exp}&sig=${sig}`;
}

/** Outcome of {@link verifyCallbackToken}. */
export type CallbackTokenVerdict = 'valid' | 'missing' | 'malformed' | 'invalid' | 'expired';

/**
 * Constant-time check against every secret (current first, then previous ones for rotation).
 * Every secret is always compared, so timing does not reveal which one matched. The MAC is checked before the expiry,
 * so `expired` is only reported for URLs this service really minted.
 */
export function verifyCallbackToken(opts: {
  workflowId: string;
  exp: string | null;
  sig: string | null;
  secrets: readonly string[];
  now: Date;
}): CallbackTokenVerdict {
  const { exp, sig } = opts;
  if (exp === null || sig === null || exp === '' || sig === '') return 'missing';
  if (!EXP_PATTERN.test(exp) || !SIG_PATTERN.test(sig) || !opts.workflowId) return 'malformed';
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== MAC_BYTES) return 'malformed';
  let matched = false;
  for (const secret of opts.secrets) {
    if (!secret) continue;
    // The comparison comes first so it runs for every secret, whatever the previous ones gave.
    matched = timingSafeEqual(mac(secret, opts.workflowId, exp), given) || matched;
  }
  if (!matched) return 'invalid';
  return Number(exp) * 1000 <= opts.now.getTime() ? 'expired' : 'valid';
}
