/**
 * Base class of every error this package throws, so callers can tell ours from others' with one `instanceof`.
 *
 * Each subclass sets `name` explicitly (`override readonly name = 'CiError'`) rather than reading `constructor.name`,
 * which bundlers may rename, and documents when it is thrown.
 */
export abstract class TencentCiAsrError extends Error {
  abstract override readonly name: string;
}
