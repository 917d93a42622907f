import { TencentCiAsrError } from '../shared/errors';
import type { CiSetupAction } from './setup/types';

/** What a client call was doing when it failed; used in messages and metrics. */
export type CiAction =
  CiSetupAction | 'submit' | 'get' | 'list' | 'cancel' | 'putObject' | 'getObject' | 'headObject' | 'listObjects';

/** Fields of a {@link CiError}. */
export interface CiErrorInit {
  action: CiAction;
  /** What the call addressed, e.g. `demo-1250000000 (ap-guangzhou)` or a job id. */
  target: string;
  /** CI's `Code`, the HTTP status as a string when the body had none, or the network error code. */
  code: string;
  statusCode?: number;
  requestId?: string;
  retryable: boolean;
  outcomeUnknown: boolean;
  /** Server or network message; must not contain credentials. */
  detail?: string;
  /** CI refused the keys (expired or unknown token, CI's signature codes); they were dropped for fresh ones. */
  credentialsRejected?: boolean;
  cause?: unknown;
}

/**
 * A failed CI or COS request, classified for retry decisions. Thrown by every {@link CiAsrClient} and
 * `CosObjectStore` call that CI or COS answered with an error, that the network failed, that timed out, or whose
 * 2xx body could not be read (code `MalformedResponse`, the {@link CiResponseError} as `cause`).
 */
export class CiError extends TencentCiAsrError {
  override readonly name = 'CiError';
  readonly action: CiAction;
  readonly target: string;
  /** CI's `Code` (e.g. `InvalidArgument`), or a network error code (e.g. `ECONNRESET`). */
  readonly code: string;
  /** HTTP status, when a response arrived. */
  readonly statusCode?: number;
  /** `x-ci-request-id` / `x-cos-request-id` / `Error/RequestId`, when known. */
  readonly requestId?: string;
  /** Whether repeating the same call may succeed (5xx, throttling, network trouble). */
  readonly retryable: boolean;
  /**
   * Whether the request may have taken effect although it failed (5xx, reset connection, timeout, unreadable 2xx).
   * For `submit` this means a job may exist: look for it (e.g. by `UserData`) before submitting again.
   */
  readonly outcomeUnknown: boolean;
  /**
   * CI refused the keys the request was signed with (a token code, or CI's `SignatureExpired`/`InvalidAuthorization`/
   * `SecretidNotExist` with temporary keys). The client has already dropped them and repeated the call once with
   * fresh ones; `retryable` says whether yet fresher keys may still come.
   */
  readonly credentialsRejected: boolean;

  constructor(init: CiErrorInit) {
    const status = init.statusCode === undefined ? '' : ` (HTTP ${init.statusCode})`;
    const detail = init.detail ? `: ${init.detail}` : '';
    super(`CI ${init.action} failed for ${init.target}: ${init.code}${status}${detail}`, { cause: init.cause });
    this.action = init.action;
    this.target = init.target;
    this.code = init.code;
    this.statusCode = init.statusCode;
    this.requestId = init.requestId;
    this.retryable = init.retryable;
    this.outcomeUnknown = init.outcomeUnknown;
    this.credentialsRejected = init.credentialsRejected ?? false;
  }
}

/** One problem found in an input before any request was sent. */
export interface CiValidationIssue {
  /** Dotted path of the offending field, e.g. `Operation.SpeechRecognition.ChannelNum`. */
  path: string;
  message: string;
}

/**
 * Input rejected before any request; lists every problem at once. Thrown by the client and store calls (and
 * `validateSubmitRequest`, `validateListFilter`, `validateJobIds`, `createTencentClients`) when an argument breaks
 * CI's documented rules; nothing was sent.
 */
export class CiValidationError extends TencentCiAsrError {
  override readonly name = 'CiValidationError';
  /** Every problem found, in field order. */
  readonly issues: readonly CiValidationIssue[];

  constructor(what: string, issues: readonly CiValidationIssue[]) {
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n');
    super(`Invalid ${what} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines}`);
    this.issues = issues;
  }
}

/**
 * A 2xx response whose body does not have the documented shape. Thrown by `parseSubmitResponse`,
 * `parseGetResponse`, `parseListResponse`, `normalizeJob` and `parseCiTime`; client calls wrap it in a
 * {@link CiError}.
 */
export class CiResponseError extends TencentCiAsrError {
  override readonly name = 'CiResponseError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
