/** Which service a request is for, and for which bucket. */
export interface RequestTarget {
  service: 'ci' | 'cos' | 'admin';
  /** `''` on the region host `ci.<region>.myqcloud.com`, which serves bucket-less calls (`GET /asrbucket`). */
  bucket: string;
  region: string;
  /** The Host the client used (signed as `host`). */
  host: string;
  /** Decoded path, starting with `/`. */
  pathname: string;
  /** Decoded query parameters in request order (`?cancel` gives `['cancel', '']`). */
  query: Array<[string, string]>;
  /** The request's id, sent as `x-ci-request-id`/`x-cos-request-id` (and first in CI's setup answers, row 4). */
  requestId: string;
}
