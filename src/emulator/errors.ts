import { TencentCiAsrError } from '../shared/errors';

/**
 * A request the emulator answers with a CI/COS `<Error>` document and the given HTTP status. Thrown by route
 * handlers; the server turns it into the response and never lets it escape.
 */
export class ApiError extends TencentCiAsrError {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status, e.g. 400. */
    readonly status: number,
    /** `<Error><Code>`, e.g. `InvalidArgument`. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `400 InvalidArgument`, CI's answer to any invalid request parameter. */
export function invalidArgument(message: string): ApiError {
  return new ApiError(400, 'InvalidArgument', message);
}

/**
 * `400 QueueNotFound` (CI error code 1106; ci-wire-facts rows 8 and 30). The status is not documented: 400 like CI's
 * other parameter errors.
 */
export function queueNotFound(queueId: string, bucket: string): ApiError {
  return new ApiError(400, 'QueueNotFound', `Queue ${queueId} does not exist in bucket ${bucket}.`);
}

/** `400 TemplateNotFound` (CI error code 1107; row 8, further difference 6); status as for QueueNotFound. */
export function templateNotFound(templateId: string): ApiError {
  return new ApiError(400, 'TemplateNotFound', `Template ${templateId} does not exist.`);
}

/**
 * `400 ResourceNotFound` (CI error code 1103) for an unknown hot-word table: no source names the code for tables;
 * this is the closest documented one (row 8).
 */
export function resourceNotFound(message: string): ApiError {
  return new ApiError(400, 'ResourceNotFound', message);
}

/** Queue (≤ 128) and template (≤ 64) names: "仅支持中文、英文、数字、_、-和*" (row 9, further difference 5). */
const NAME_CHARS = /^[\p{Script=Han}A-Za-z0-9_*-]+$/u;

/** Refuses a queue or template name outside CI's documented character set or length. */
export function checkCiName(what: string, name: string, maxLength: number): void {
  if ([...name].length > maxLength) throw invalidArgument(`${what} is longer than ${maxLength} characters.`);
  if (!NAME_CHARS.test(name)) {
    throw invalidArgument(`${what} may hold only Chinese characters, letters, digits, _, - and *; got "${name}".`);
  }
}
