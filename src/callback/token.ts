import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Callback URL tokens. CI does not sign its callbacks, so the URL itself carries the proof: an expiry and an
 * HMAC-SHA256 keyed with the receiver's secret over a versioned string.
 *
 * - v2 (minted now): `ci-callback:v2\n<workflowId>\n<jobTag>\n<exp>`. The job tag is the `UserData` the submit
 *   activity gives the job, so the URL only vouches for entries of that one job.
 * - v1 (still verified until the URLs minted for in-flight jobs expire): `ci-callback:v1\n<workflowId>\n<exp>`.
 *
 * The version prefix keeps one format's MAC from ever validating as the other's; workflow ids, tags and `exp` are
 * separated by newlines, which tags and `exp` cannot contain, so no field can be shifted into another.
 */
const MAC_V1 = 'ci-callback:v1';
const MAC_V2 = 'ci-callback:v2';

/** Path prefix under which the receiver serves callbacks. */
export const CALLBACK_PATH_PREFIX = '/ci/callback/';

/** The v2 path prefix; the unpadded base64url workflow id follows it, so no id ever needs `%2F` in a path. */
export const CALLBACK_V2_PATH_PREFIX = `${CALLBACK_PATH_PREFIX}v2/`;

/** SHA-256 output length in bytes; a well-formed `sig` decodes to exactly this many. */
const MAC_BYTES = 32;

/** `exp` is unix seconds: a positive integer of at most 12 digits (year 33658), no sign, no leading zero. */
const EXP_PATTERN = /^[1-9][0-9]{0,11}$/;

/** Unpadded base64url of 32 bytes is 43 characters; the last one carries only 4 meaningful bits. */
const SIG_PATTERN = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** A job tag as CI stores `UserData`: printable ASCII, at most 1024 characters (so never a newline). */
const TAG_PATTERN = /^[\x20-\x7e]{1,1024}$/;

/** What a callback URL's token vouches for: the workflow, and in v2 the one job tag. */
export interface CallbackBinding {
  version: 1 | 2;
  workflowId: string;
  /** The bound job tag (v2 only). */
  jobTag?: string;
}

function mac(secret: string, binding: CallbackBinding, exp: string): Buffer {
  const text =
    binding.version === 2
      ? `${MAC_V2}\n${binding.workflowId}\n${binding.jobTag ?? ''}\n${exp}`
      : `${MAC_V1}\n${binding.workflowId}\n${exp}`;
  return createHmac('sha256', secret).update(text, 'utf8').digest();
}

/** Options of {@link mintCallbackUrl}. */
export interface MintCallbackUrlOptions {
  publicBaseUrl: string;
  workflowId: string;
  /** The job's `UserData` tag (printable ASCII, ≤ 1024 characters). */
  jobTag: string;
  secret: string;
  /** Rounded down to whole seconds. */
  expiresAt: Date;
}

function expOf(expiresAt: Date, what: string): string {
  const seconds = Math.floor(expiresAt.getTime() / 1000);
  if (!Number.isSafeInteger(seconds) || seconds <= 0) throw new RangeError(`${what} needs a valid expiresAt`);
  return String(seconds);
}

function checkMintInput(what: string, secret: string, workflowId: string): void {
  if (!secret) throw new TypeError(`${what} needs a non-empty secret`);
  if (!workflowId) throw new TypeError(`${what} needs a non-empty workflowId`);
}

/**
 * Builds a v2 URL: `<publicBaseUrl>/ci/callback/v2/<base64url(workflowId)>?tag=<jobTag>&exp=<unix s>&sig=<base64url>`.
 * A trailing slash on `publicBaseUrl` is ignored.
 */
export function mintCallbackUrl(opts: MintCallbackUrlOptions): string {
  checkMintInput('mintCallbackUrl', opts.secret, opts.workflowId);
  if (!TAG_PATTERN.test(opts.jobTag)) throw new TypeError('mintCallbackUrl needs a printable ASCII jobTag');
  const exp = expOf(opts.expiresAt, 'mintCallbackUrl');
  const sig = mac(opts.secret, { version: 2, workflowId: opts.workflowId, jobTag: opts.jobTag }, exp);
  const path = `${CALLBACK_V2_PATH_PREFIX}${Buffer.from(opts.workflowId, 'utf8').toString('base64url')}`;
  const query = `tag=${encodeURIComponent(opts.jobTag)}&exp=${exp}&sig=${sig.toString('base64url')}`;
  return `${opts.publicBaseUrl.replace(/\/+$/, '')}${path}?${query}`;
}

/**
 * Builds a v1 URL (`/ci/callback/<encodeURIComponent(workflowId)>?exp=&sig=`), the format minted before v2. Kept so
 * tests and tools can produce what in-flight jobs still carry; new jobs get {@link mintCallbackUrl}.
 */
export function mintV1CallbackUrl(opts: Omit<MintCallbackUrlOptions, 'jobTag'>): string {
  checkMintInput('mintV1CallbackUrl', opts.secret, opts.workflowId);
  const exp = expOf(opts.expiresAt, 'mintV1CallbackUrl');
  const sig = mac(opts.secret, { version: 1, workflowId: opts.workflowId }, exp).toString('base64url');
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
export function verifyCallbackToken(
  opts: CallbackBinding & { exp: string | null; sig: string | null; secrets: readonly string[]; now: Date },
): CallbackTokenVerdict {
  const { exp, sig } = opts;
  if (exp === null || sig === null || exp === '' || sig === '') return 'missing';
  if (opts.version === 2 && !opts.jobTag) return 'missing';
  if (!EXP_PATTERN.test(exp) || !SIG_PATTERN.test(sig) || !opts.workflowId) return 'malformed';
  if (opts.version === 2 && !TAG_PATTERN.test(opts.jobTag ?? '')) return 'malformed';
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== MAC_BYTES) return 'malformed';
  let matched = false;
  for (const secret of opts.secrets) {
    if (!secret) continue;
    // The comparison comes first so it runs for every secret, whatever the previous ones gave.
    matched = timingSafeEqual(mac(secret, opts, exp), given) || matched;
  }
  if (!matched) return 'invalid';
  return Number(exp) * 1000 <= opts.now.getTime() ? 'expired' : 'valid';
}
