import COS from 'cos-nodejs-sdk-v5';
import { CosObjectStore } from '../cos/object-store';
import { CiAsrClient } from '../ci/asr-client';
import { CiSetupClient } from '../ci/setup/client';
import type { CredentialProvider } from '../ci/credentials';
import { staticCredentials } from '../ci/credentials';
import { SigningSession } from '../ci/signing';
import type { CiCallOptions } from '../ci/types';
import { CiValidationError } from '../ci/errors';
import { IssueList, isHttpUrl } from '../ci/validate';

/** Credentials and location for {@link createTencentClients}. */
export interface TencentClientsConfig {
  /** Permanent (or fixed temporary) key id; give either `secretId`/`secretKey` or `credentials`. */
  secretId?: string;
  secretKey?: string;
  /** Session token of fixed temporary credentials (they fail once it expires: prefer `credentials`). */
  securityToken?: string;
  /**
   * Keys that rotate: every request is signed with what the provider gives at that moment (`fileCredentials`,
   * `refreshingCredentials`, `staticCredentials`). A token CI refuses as expired is dropped and the call fails with a
   * retryable `CiError`, so the retry signs with fresh keys.
   */
  credentials?: CredentialProvider;
  /** Region of the bucket, e.g. `ap-guangzhou`. */
  region: string;
  /** Bucket `name-appid` whose CI host runs the jobs. */
  bucket: string;
  /**
   * Send every request through this HTTP endpoint (e.g. the emulator, `http://127.0.0.1:9100`) as a forward proxy:
   * requests keep the real `Host` (`<bucket>.ci.<region>.myqcloud.com`, `<bucket>.cos.<region>.myqcloud.com`) and are
   * signed for it, but use plain http to the endpoint. Unset: the real https CI and COS domains.
   */
  endpoint?: string;
  /** Per-request timeout of CI calls in ms (connect and idle socket); default 30 000. */
  timeoutMs?: number;
  /** Per-request timeout of object calls in ms; default 0 = none (objects may be large). */
  objectTimeoutMs?: number;
  /**
   * Jobs submitted without `QueueId`, and job lists without `queueId`, use the bucket's ASR queue, looked up once per
   * bucket (`GET /asrqueue`) and cached: CI documents `queueId` as required on lists. Default true; false sends
   * neither (only for an account whose CI accepts that).
   */
  discoverQueue?: boolean;
  /**
   * The configured queue of `bucket` (`CI_QUEUE_ID`): submits and lists for that bucket use it without a lookup;
   * other buckets still look theirs up.
   */
  queueId?: string;
}

/** The clients the rest of the package uses. */
export interface TencentClients {
  /** CI client for the configured bucket. */
  ci: CiAsrClient;
  /** CI client for another bucket/region with the same credentials (one per pair, shared SDK instance). */
  ciFor(target: { bucket: string; region: string }): CiAsrClient;
  /** Setup and management client (bucket binding, queues, templates, hot words) for the configured bucket. */
  setup: CiSetupClient;
  /** Setup client for another bucket/region (one per pair). */
  setupFor(target: { bucket: string; region: string }): CiSetupClient;
  objects: CosObjectStore;
}

const DEFAULT_CI_TIMEOUT_MS = 30_000;

function validateConfig(config: TencentClientsConfig): void {
  const out = new IssueList();
  if (config.credentials === undefined) {
    out.requiredString(config.secretId, 'secretId');
    out.requiredString(config.secretKey, 'secretKey');
    out.optionalString(config.securityToken, 'securityToken');
  } else {
    const fixed = [config.secretId, config.secretKey, config.securityToken].some((v) => v !== undefined);
    out.check(!fixed, 'credentials', 'give either credentials or secretId/secretKey/securityToken, not both');
    out.check(typeof config.credentials.get === 'function', 'credentials', 'must be a CredentialProvider');
  }
  out.check(
    typeof config.region === 'string' && /^[a-z0-9-]+$/.test(config.region),
    'region',
    'must look like ap-guangzhou',
  );
  out.check(
    typeof config.bucket === 'string' && /^[a-z0-9-]+-\d+$/.test(config.bucket),
    'bucket',
    'must look like name-appid',
  );
  if (config.endpoint !== undefined) out.check(isHttpUrl(config.endpoint), 'endpoint', 'must be an http(s) URL');
  out.optionalString(config.queueId, 'queueId');
  for (const key of ['timeoutMs', 'objectTimeoutMs'] as const) {
    const v = config[key];
    out.check(v === undefined || (Number.isInteger(v) && v >= 0), key, 'must be a whole number of ms ≥ 0');
  }
  if (out.issues.length > 0) throw new CiValidationError('Tencent client config', out.issues);
}

function sdk(config: TencentClientsConfig, session: SigningSession, timeoutMs: number): COS {
  const proxied: COS.COSOptions = config.endpoint
    ? // The SDK sends absolute-form targets to a Proxy over http; AutoSwitchHost would move the last retry to the
      // tencentci.cn / tencentcos.cn backup domains, which an endpoint does not serve.
      { Proxy: config.endpoint, Protocol: 'http:', AutoSwitchHost: false }
    : { Protocol: 'https:' };
  return new COS({ ...session.cosOptions(), Timeout: timeoutMs, ...proxied });
}

/**
 * Builds the CI job client and the COS object store from credentials. Throws a `CiValidationError` listing every bad
 * setting. Credentials stay inside the SDK instances and are blanked out of error messages.
 */
export function createTencentClients(config: TencentClientsConfig): TencentClients {
  validateConfig(config);
  const session = new SigningSession(
    config.credentials ??
      staticCredentials({
        secretId: config.secretId ?? '',
        secretKey: config.secretKey ?? '',
        securityToken: config.securityToken,
      }),
  );
  // Live: the session adds every key and token it signs with, so rotated ones are redacted too.
  const { secrets } = session;
  if (!config.credentials) secrets.push(...[config.secretId, config.secretKey, config.securityToken].filter(isText));
  const credentials = session;
  const scheme = config.endpoint ? 'http' : 'https';
  const ciSdk = sdk(config, session, config.timeoutMs ?? DEFAULT_CI_TIMEOUT_MS);
  const clients = new Map<string, { ci: CiAsrClient; setup: CiSetupClient }>();
  const pair = ({ bucket, region }: { bucket: string; region: string }) => {
    const key = `${bucket}|${region}`;
    let entry = clients.get(key);
    if (entry === undefined) {
      validateConfig({ ...config, bucket, region });
      const baseUrl = `${scheme}://${bucket}.ci.${region}.myqcloud.com`;
      const regionUrl = `${scheme}://ci.${region}.myqcloud.com`;
      const setup = new CiSetupClient({ cos: ciSdk, bucket, region, baseUrl, regionUrl, secrets, credentials });
      const configured = bucket === config.bucket && region === config.region ? config.queueId : undefined;
      const defaultQueueId =
        configured !== undefined
          ? () => Promise.resolve(configured)
          : config.discoverQueue !== false
            ? (o: CiCallOptions) => setup.defaultQueueId(o)
            : undefined;
      entry = {
        setup,
        ci: new CiAsrClient({ cos: ciSdk, bucket, region, baseUrl, secrets, credentials, defaultQueueId }),
      };
      clients.set(key, entry);
    }
    return entry;
  };
  const objects = new CosObjectStore(sdk(config, session, config.objectTimeoutMs ?? 0), secrets, credentials);
  const ciFor = (target: { bucket: string; region: string }) => pair(target).ci;
  const setupFor = (target: { bucket: string; region: string }) => pair(target).setup;
  return { ci: ciFor(config), ciFor, setup: setupFor(config), setupFor, objects };
}

function isText(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}
