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
