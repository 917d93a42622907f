import type { Env } from '../../config/reader';
import { ConfigReader } from '../../config/reader';

/** Callback HMAC keys shorter than this are refused by the worker (see `loadWorkerConfig`). */
const MIN_CALLBACK_SECRET_LENGTH = 32;

/**
 * What doctor reads beyond the CLI's own settings: the worker's queue and callback variables and where the receiver's
 * health endpoint is. Secrets are never kept, only whether they are set.
 */
export interface DoctorSettings {
  /** `CI_QUEUE_ID`: the queue jobs go to; the bucket's own queue when unset. */
  queueId?: string;
  /** `CI_ENDPOINT`: requests go to the local emulator, where local http callback URLs are right. */
  endpoint?: string;
  /** Which credentials sign the requests (the kind, never the keys). */
  credentials: 'permanent keys' | 'temporary keys (STS token)' | 'credentials file' | 'none';
  /** `CALLBACK_PUBLIC_BASE_URL`: the receiver's public URL the worker hands CI. */
  callbackUrl?: string;
  /** Whether `CALLBACK_SECRET` is set, and long enough for the worker. */
  callbackSecret: 'set' | 'missing' | 'too short';
  /** `RECEIVER_HEALTH_URL`: the receiver's private `/healthz` (admin port, 9465 in compose). */
  receiverHealthUrl?: string;
  /** `TENCENT_CI_ASR_NEXUS_ENDPOINT`: the Nexus endpoint that should route to the task queue; unchecked when unset. */
  nexusEndpoint?: string;
  /** Malformed values, each naming its variable; doctor reports them as a configuration failure (exit 2). */
  problems: string[];
}

/** Reads {@link DoctorSettings} from `env`; never throws: problems are reported, not raised. */
export function readDoctorSettings(env: Env): DoctorSettings {
  const read = new ConfigReader(env);
  const secret = read.optional('CALLBACK_SECRET');
  const credentials = read.optional('TENCENT_CREDENTIALS_FILE')
    ? 'credentials file'
    : read.optional('TENCENT_SECURITY_TOKEN')
      ? 'temporary keys (STS token)'
      : read.optional('TENCENT_SECRET_ID')
        ? 'permanent keys'
        : 'none';
  return {
    queueId: read.optional('CI_QUEUE_ID'),
    endpoint: read.optional('CI_ENDPOINT'),
    credentials,
    callbackUrl: read.url('CALLBACK_PUBLIC_BASE_URL'),
    callbackSecret: secret === undefined ? 'missing' : secret.length < MIN_CALLBACK_SECRET_LENGTH ? 'too short' : 'set',
    receiverHealthUrl: read.url('RECEIVER_HEALTH_URL'),
    nexusEndpoint: read.optional('TENCENT_CI_ASR_NEXUS_ENDPOINT'),
    problems: read.problems,
  };
}
