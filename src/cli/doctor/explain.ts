/**
 * What a failed CI request or a callback URL means for a first job, and what fixes it. Pure: no requests, no secrets
 * (CI error messages are already redacted by the client).
 */
import { isTokenRejection } from '../../ci/classify';
import { CiError } from '../../ci/errors';
import type { ConfigError } from '../../config/reader';
import type { CheckOutcome } from './report';

/** The fixes doctor points at; one place so the docs page (docs/real-account.md) and the CLI say the same. */
export const FIXES = {
  token:
    'Fetch fresh temporary keys (TENCENT_SECRET_ID/_KEY with TENCENT_SECURITY_TOKEN), or let the platform rewrite\n' +
    'a TENCENT_CREDENTIALS_FILE, which is re-read before it expires (docs/real-account.md, "Keys").',
  keyId: 'Check TENCENT_SECRET_ID: CAM console > Access management > API keys (docs/real-account.md, "Keys").',
  signature: 'Check TENCENT_SECRET_KEY: copy it again from the CAM console, without spaces or quotes.',
  clock: "Synchronise this machine's clock (NTP): CI refuses signatures more than 15 minutes off.",
  permission:
    'Grant the key CI permissions (e.g. the QcloudCIFullAccess policy, or the CAM policy in docs/real-account.md,\n' +
    '"Permissions"), then run doctor again.',
  network: 'Check the network and CI_REGION; for the local emulator check CI_ENDPOINT (is `npm run dev` running?).',
  retry: 'A CI-side problem: run doctor again in a minute.',
} as const;

/** A check that could not run because its settings are missing or malformed: exit code 2. */
export function configOutcome(err: ConfigError): CheckOutcome {
  return {
    status: 'fail',
    config: true,
    detail: `configuration: ${err.problems.join('; ')}`,
    fix: 'Set the variables named (docs/real-account.md), or run `npm run dev` for the local stack.',
  };
}

/**
 * The check's outcome for a CI request that failed: the refusal named, with its fix. `endpoint` (`CI_ENDPOINT`, the
 * emulator) is named when the request got no answer.
 */
export function explainCiError(err: unknown, endpoint?: string): CheckOutcome {
  if (!(err instanceof CiError)) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { status: 'fail', detail: `the request failed: ${message}` };
  }
  const code = err.code;
  const said = err.statusCode === undefined ? code : `CI answered ${code}, HTTP ${err.statusCode}`;
  const detailOf = (what: string) => ({ status: 'fail' as const, detail: `${what} (${said})`, data: { code } });
  if (isTokenRejection(code, err.message)) {
    return { ...detailOf('CI refused the temporary token: expired or revoked'), fix: FIXES.token };
  }
  switch (code) {
    case 'InvalidAccessKeyId':
    case 'SecretidNotExist':
      return { ...detailOf('CI does not know this SecretId'), fix: FIXES.keyId };
    case 'SignatureDoesNotMatch':
    case 'InvalidAuthorization':
      // CI hosts answer CI's own codes (docs/emulator.md): InvalidAuthorization covers a wrong signature.
      return {
        ...detailOf('CI refused the signature: the SecretKey does not belong to the SecretId'),
        fix: FIXES.signature,
      };
    case 'SignatureExpired':
      return {
        ...detailOf("the signature expired: this machine's clock is behind CI's, or the temporary token expired"),
        fix: `${FIXES.clock}\n${FIXES.token}`,
      };
    case 'RequestTimeTooSkewed':
      return { ...detailOf("this machine's clock is too far from CI's"), fix: FIXES.clock };
    case 'AccessDenied':
      return { ...detailOf(`the key may not call ${err.action}: a CAM permission is missing`), fix: FIXES.permission };
  }
  if (err.statusCode === undefined) {
    return {
      ...detailOf(endpoint === undefined ? 'CI did not answer' : `CI at ${endpoint} did not answer`),
      fix: FIXES.network,
    };
  }
  if (err.retryable) return { ...detailOf('CI could not answer now'), fix: FIXES.retry };
  return { status: 'fail', detail: err.message, data: { code } };
}

/** IPv4 ranges CI on Tencent Cloud cannot call back: loopback, private, link-local, CGNAT. */
const PRIVATE_V4 = [
  /^127\./,
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^169\.254\./,
  /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./,
  /^0\./,
];

/** Whether `host` (a URL's hostname) can only be reached from a private network. */
export function isPrivateHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.internal')) return true;
  if (h.includes(':')) return h === '::1' || /^f[cd]/.test(h) || h.startsWith('fe80:');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(h)) return PRIVATE_V4.some((range) => range.test(h));
  // A single-label name (`receiver`, a compose service) resolves only inside its own network.
  return !h.includes('.');
}

/**
 * Why CI on Tencent Cloud cannot use `url` as a callback address (none when it can): CI calls from the
 * internet, so the host must be public, and the callback (its signed token in the URL) should travel encrypted.
 */
export function callbackUrlProblems(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`${url} is not a URL`];
  }
  const problems: string[] = [];
  if (isPrivateHost(parsed.hostname)) {
    problems.push(`${parsed.host} is not reachable from Tencent Cloud, where CI sends callbacks from`);
  }
  if (parsed.protocol === 'http:') {
    problems.push('it is http: the callback, with its signed token in the URL, would cross the internet unencrypted');
  }
  return problems;
}
