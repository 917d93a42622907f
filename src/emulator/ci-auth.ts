import type { SignatureRejection } from './cos-signature';

/** A refusal as a CI host answers it: CI's own code, status 401 or 403. */
export interface CiAuthRejection {
  status: 401 | 403;
  code: 'MissingAuthorization' | 'InvalidAuthorization' | 'SecretidNotExist' | 'SignatureExpired';
  message: string;
}

/**
 * CI hosts answer a refused signature with CI's codes, not COS's (CI error codes 1012-1019; ci-wire-facts row 20):
 * no `Authorization` → `MissingAuthorization`; malformed header, wrong signature or a time window not yet open →
 * `InvalidAuthorization`; unknown SecretId → `SecretidNotExist`; time window passed → `SignatureExpired`. The one page
 * with statuses gives 401 for all of them; `authStatus` (a variant) may say 403 instead.
 *
 * Temporary tokens: CI documents no token code (row 32). An expired token answers `SignatureExpired` and a missing or
 * wrong one `InvalidAuthorization`, the documented codes closest in meaning; the client refreshes on any of them.
 */
export function ciAuthRejection(rejection: SignatureRejection, authStatus: 401 | 403): CiAuthRejection {
  const answer = (code: CiAuthRejection['code'], message: string): CiAuthRejection => ({
    status: authStatus,
    code,
    message,
  });
  switch (rejection.reason) {
    case 'missing':
      return answer('MissingAuthorization', 'Missing signature: the request has no Authorization header.');
    case 'unknownKey':
      return answer('SecretidNotExist', 'The SecretId does not exist.');
    case 'expired':
      return answer('SignatureExpired', 'The signature has expired.');
    case 'tokenExpired':
      return answer('SignatureExpired', 'The signature has expired: its temporary token is no longer valid.');
    case 'tokenInvalid':
      return answer('InvalidAuthorization', 'Invalid signature: the temporary token is missing or wrong.');
    case 'early':
      return answer('InvalidAuthorization', "Invalid signature: its time window has not begun by the server's clock.");
    default:
      return answer('InvalidAuthorization', 'Invalid signature.');
  }
}
