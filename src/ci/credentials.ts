import { readFile, stat } from 'node:fs/promises';
import { TencentCiAsrError } from '../shared/errors';

/** One set of Tencent Cloud keys: permanent (no token) or temporary (STS, with token and expiry). */
export interface TencentCredentials {
  secretId: string;
  secretKey: string;
  /** Session token of temporary credentials; sent as `x-cos-security-token` (`x-ci-security-token` on CI hosts). */
  securityToken?: string;
  /** When temporary credentials stop working, epoch ms; unset for permanent keys. */
  expiresAtMs?: number;
}

/**
 * Where the clients get their keys. Every request asks {@link get}; a provider caches and refreshes on its own.
 * `invalidate` is called when CI refused the current keys as expired or unknown, so the next `get` fetches anew.
 */
export interface CredentialProvider {
  /** The keys to sign the next request with. Rejects with {@link CredentialsUnavailableError}. */
  get(): Promise<TencentCredentials>;
  /** Drops the cached keys (CI said they expired); a static provider ignores it. */
  invalidate(): void;
  /** Whether a later {@link get} can return other keys; an expired-token answer is only worth retrying then. */
  readonly refreshable: boolean;
}

/** The credential provider could not produce usable keys (file missing or malformed, callback failed). */
export class CredentialsUnavailableError extends TencentCiAsrError {
  override readonly name = 'CredentialsUnavailableError';
}

/** Fixed keys (permanent, or a temporary set nobody renews: it fails once its token expires). */
export function staticCredentials(credentials: TencentCredentials): CredentialProvider {
  const fixed = Promise.resolve({ ...credentials });
  return { get: () => fixed, invalidate: () => undefined, refreshable: false };
}

/** Options of {@link refreshingCredentials} and {@link fileCredentials}. */
export interface RefreshOptions {
  /**
   * Fetch new keys this long before `expiresAtMs`, in ms. Default 300 000 (5 min): longer than the SDK's own 60 s
   * margin and than any one request, so a request is never signed with a token about to lapse in flight.
   */
  refreshBeforeMs?: number;
  /** Epoch-ms clock; default `Date.now`. */
  clock?: () => number;
}

const DEFAULT_REFRESH_BEFORE_MS = 300_000;

/**
 * Keys from `fetch` (an STS call, a metadata endpoint, a vault), cached until `refreshBeforeMs` before they expire.
 * Concurrent requests share one fetch; a failed fetch is not cached, so the next request tries again.
 * `isStale` lets a subclass-like caller force a refetch (the token file changed).
 */
export function refreshingCredentials(
  fetch: () => Promise<TencentCredentials>,
  options: RefreshOptions & { isStale?: () => Promise<boolean> } = {},
): CredentialProvider {
  const clock = options.clock ?? Date.now;
  const margin = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS;
  let current: TencentCredentials | undefined;
  let pending: Promise<TencentCredentials> | undefined;
  const fresh = (c: TencentCredentials): boolean => c.expiresAtMs === undefined || c.expiresAtMs - margin > clock();
  const load = (): Promise<TencentCredentials> => {
    pending ??= fetch()
      .then((next) => {
        checkShape(next);
        current = next;
        return next;
      })
      .catch((err: unknown) => {
        throw err instanceof CredentialsUnavailableError
          ? err
          : new CredentialsUnavailableError('The credential callback failed.', { cause: err });
      })
      .finally(() => (pending = undefined));
    return pending;
  };
  return {
    refreshable: true,
    invalidate: () => (current = undefined),
    async get() {
      if (current !== undefined && fresh(current) && !(await options.isStale?.())) return current;
      return load();
    },
  };
}

function checkShape(c: TencentCredentials): void {
  const bad = (['secretId', 'secretKey'] as const).filter((k) => typeof c?.[k] !== 'string' || c[k] === '');
  if (c?.expiresAtMs !== undefined && !Number.isFinite(c.expiresAtMs)) bad.push('expiresAtMs' as never);
  if (bad.length > 0) throw new CredentialsUnavailableError(`Credentials lack a valid ${bad.join(', ')}.`);
}

/**
 * Parses the token file's JSON, `{"TmpSecretId", "TmpSecretKey", "Token", "ExpiredTime"}` (ExpiredTime in epoch
 * seconds, as STS `GetFederationToken`/`AssumeRole` and the SDK's `getAuthorization` use). `Token` and `ExpiredTime`
 * may be left out for permanent keys. Messages name the field, never a value.
 */
export function parseCredentialsFile(text: string, path: string): TencentCredentials {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new CredentialsUnavailableError(`Credentials file ${path} is not valid JSON.`, { cause: err });
  }
  const problems: string[] = [];
  const text_ = (k: string, required: boolean): string | undefined => {
    const v = raw?.[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v === '') problems.push(`${k} must be a non-empty string`);
    return typeof v === 'string' ? v : undefined;
  };
  const secretId = text_('TmpSecretId', true) ?? '';
  const secretKey = text_('TmpSecretKey', true) ?? '';
  const securityToken = text_('Token', false);
  const expired = raw?.ExpiredTime;
  if (expired !== undefined && !(Number.isInteger(expired) && (expired as number) > 0)) {
    problems.push('ExpiredTime must be a whole number of epoch seconds');
  }
  if (securityToken !== undefined && expired === undefined) problems.push('ExpiredTime is required with a Token');
  if (problems.length > 0) throw new CredentialsUnavailableError(`Credentials file ${path}: ${problems.join('; ')}.`);
  const expiresAtMs = typeof expired === 'number' ? expired * 1000 : undefined;
  return { secretId, secretKey, securityToken, expiresAtMs };
}

/**
 * Keys from a JSON file that the platform rewrites (a sidecar, a CAM-role agent, a Kubernetes secret), see
 * {@link parseCredentialsFile}. Re-read when the cached keys near expiry, when the file's modification time or size
 * changed, and after CI refused a token.
 */
export function fileCredentials(path: string, options: RefreshOptions = {}): CredentialProvider {
  let seen = '';
  const version = async (): Promise<string> => {
    try {
      const s = await stat(path);
      return `${s.mtimeMs}:${s.size}:${s.ino}`;
    } catch (err) {
      throw new CredentialsUnavailableError(`Credentials file ${path} cannot be read.`, { cause: err });
    }
  };
  const read = async (): Promise<TencentCredentials> => {
    const before = await version();
    const text = await readFile(path, 'utf8').catch((err: unknown) => {
      throw new CredentialsUnavailableError(`Credentials file ${path} cannot be read.`, { cause: err });
    });
    seen = before;
    return parseCredentialsFile(text, path);
  };
  return refreshingCredentials(read, { ...options, isStale: async () => (await version()) !== seen });
}
