import { CiValidationError } from '../ci/errors';
import { IssueList, isRecord } from '../ci/validate';

const BUCKET = /^[a-z0-9-]+-\d+$/;
const REGION = /^[a-z0-9-]+$/;

function checkLocation(value: Record<string, unknown>, out: IssueList): void {
  const bucket = value.Bucket;
  out.check(typeof bucket === 'string' && BUCKET.test(bucket), 'Bucket', 'must look like name-appid (demo-1250000000)');
  const region = value.Region;
  out.check(typeof region === 'string' && REGION.test(region), 'Region', 'must look like ap-guangzhou');
}

/** Throws a {@link CiValidationError} unless `ref` names a bucket, region and non-empty key. */
export function validateObjectRef(ref: unknown, extra: Record<string, unknown> = {}): void {
  const out = new IssueList();
  if (!isRecord(ref)) throw new CiValidationError('COS object ref', [{ path: 'ref', message: 'must be an object' }]);
  checkLocation(ref, out);
  out.requiredString(ref.Key, 'Key');
  if (typeof ref.Key === 'string') out.check(!ref.Key.startsWith('/'), 'Key', 'must not start with "/"');
  if ('contentType' in extra) out.requiredString(extra.contentType, 'contentType');
  if ('body' in extra) {
    out.check(typeof extra.body === 'string' || Buffer.isBuffer(extra.body), 'body', 'must be a string or Buffer');
  }
  if (out.issues.length > 0) throw new CiValidationError('COS object ref', out.issues);
}

/** Throws a {@link CiValidationError} unless `params` is a valid bucket listing request. */
export function validateListParams(params: unknown): void {
  const out = new IssueList();
  if (!isRecord(params)) throw new CiValidationError('COS list', [{ path: 'params', message: 'must be an object' }]);
  checkLocation(params, out);
  const max = params.MaxKeys;
  const maxOk = max === undefined || (Number.isInteger(max) && (max as number) >= 1 && (max as number) <= 1000);
  out.check(maxOk, 'MaxKeys', 'must be an integer 1–1000');
  if (params.Prefix !== undefined) out.check(typeof params.Prefix === 'string', 'Prefix', 'must be a string');
  out.optionalString(params.Marker, 'Marker');
  if (out.issues.length > 0) throw new CiValidationError('COS list', out.issues);
}
