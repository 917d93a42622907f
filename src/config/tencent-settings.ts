import { existsSync } from 'node:fs';
import type { ConfigReader } from './reader';

/** Tencent Cloud credentials and the default bucket jobs run on. */
export interface TencentSettings {
  /** Fixed keys (`TENCENT_SECRET_ID`/`_KEY`/`TENCENT_SECURITY_TOKEN`); unset when `credentialsFile` is given. */
  secretId?: string;
  secretKey?: string;
  /** Temporary-credential token of fixed STS keys (they stop working when it expires). */
  securityToken?: string;
  /** JSON token file the platform rewrites (`TENCENT_CREDENTIALS_FILE`), re-read before expiry and on change. */
  credentialsFile?: string;
  /** Default bucket (`name-appid`) for jobs whose input names none. */
  bucket: string;
  /** Region of the default bucket, e.g. `ap-guangzhou`. */
  region: string;
  /** Default CI queue id; CI's default queue when unset. */
  queueId?: string;
  /** Send CI and COS requests here instead of Tencent Cloud (the local emulator), e.g. `http://127.0.0.1:9100`. */
  endpoint?: string;
  /**
   * Per-request timeout for CI and COS calls, in ms.
   * @default 20000
   */
  requestTimeoutMs: number;
}

/** COS bucket names are `<name>-<appid>`; CI rejects anything else, so say so before the first request. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]*-\d+$/;

/** Whether `bucket` has COS's `name-appid` form, e.g. `media-1250000000`. */
export function isBucketName(bucket: string): boolean {
  return BUCKET_NAME.test(bucket);
}

/**
 * Reads the Tencent settings (`TENCENT_*`, `CI_*`) into `read`'s problems; the one reader of these variables, shared by
 * the worker and the CLI so both accept and reject the same values.
 */
export function readTencentSettings(read: ConfigReader): TencentSettings {
  const credentialsFile = read.optional('TENCENT_CREDENTIALS_FILE');
  const fixed = ['TENCENT_SECRET_ID', 'TENCENT_SECRET_KEY', 'TENCENT_SECURITY_TOKEN'].filter((n) => read.optional(n));
  if (credentialsFile !== undefined && !existsSync(credentialsFile)) {
    read.problems.push(`TENCENT_CREDENTIALS_FILE names a file that does not exist: ${credentialsFile}`);
  }
  if (credentialsFile !== undefined && fixed.length > 0) {
    read.problems.push(`TENCENT_CREDENTIALS_FILE cannot be combined with ${fixed.join(', ')}: choose one source`);
  }
  const key = (name: string, meaning: string) =>
    credentialsFile === undefined ? read.required(name, `${meaning} (or set TENCENT_CREDENTIALS_FILE)`) : undefined;
  const settings: TencentSettings = {
    secretId: key('TENCENT_SECRET_ID', 'Tencent Cloud API SecretId'),
    secretKey: key('TENCENT_SECRET_KEY', 'Tencent Cloud API SecretKey'),
    securityToken: credentialsFile === undefined ? read.optional('TENCENT_SECURITY_TOKEN') : undefined,
    credentialsFile,
    bucket: read.required('CI_BUCKET', 'default bucket, name-appid'),
    region: read.required('CI_REGION', 'region of CI_BUCKET, e.g. ap-guangzhou'),
    queueId: read.optional('CI_QUEUE_ID'),
    endpoint: read.url('CI_ENDPOINT'),
    requestTimeoutMs: read.integer('CI_REQUEST_TIMEOUT_MS', 20_000, 1_000, 600_000),
  };
  if (settings.bucket && !isBucketName(settings.bucket)) {
    read.problems.push(
      `CI_BUCKET must look like name-appid, e.g. media-1250000000 (got ${JSON.stringify(settings.bucket)})`,
    );
  }
  return settings;
}

/** Help lines for the Tencent variables, shown by the worker's and the CLI's `--help`. */
export const TENCENT_SETTINGS_HELP: readonly string[] = [
  'TENCENT_SECRET_ID, TENCENT_SECRET_KEY  Tencent Cloud API key (required unless TENCENT_CREDENTIALS_FILE)',
  'TENCENT_SECURITY_TOKEN                 STS token of fixed temporary keys (not renewed)',
  'TENCENT_CREDENTIALS_FILE               JSON {TmpSecretId,TmpSecretKey,Token,ExpiredTime} the platform rewrites',
  'CI_BUCKET, CI_REGION                   Default bucket (name-appid) and its region (required)',
  "CI_QUEUE_ID                            CI queue (default: the bucket's default queue)",
  'CI_ENDPOINT                            Send CI/COS requests here instead (the local emulator)',
  'CI_REQUEST_TIMEOUT_MS                  Per-request timeout, 1000-600000 (default 20000)',
];
