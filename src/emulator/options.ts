import type { CallbackRetry } from './callbacks';
import type { EmulatorCounters } from './counters';
import type { FaultConfig } from './faults';
import type { EmulatorTemplate } from './submit-request';
import type { IssuedCredentials } from './sts';
import type { EmulatorVariants } from './variants';

/** Options of `startEmulator`. */
export interface EmulatorOptions {
  /** Port to listen on; default 0 (an ephemeral port). */
  port?: number;
  /** Address to listen on; default `127.0.0.1` (the admin API has no authentication: keep it on loopback). */
  host?: string;
  /** Every CI/COS request must carry a COS signature made with these, or with temporary keys the emulator issued. */
  credentials: { secretId: string; secretKey: string };
  /**
   * Temporary keys valid from the start (as `issueCredentials` returns them). A request signed with one must carry
   * its `Token` (`x-cos-security-token`/`x-ci-security-token`) and is refused after `ExpiredTime` (`ExpiredToken` on COS hosts, `SignatureExpired` on CI hosts).
   */
  temporaryCredentials?: readonly IssuedCredentials[];
  /** Clock skew tolerated on each side of a signature's time window, in seconds; default 900 (docs/emulator.md). */
  clockSkewSeconds?: number;
  /**
   * Queues besides each bucket's default one (`bucket` defaults to the default bucket). A `QueueId` that is neither is
   * refused on submit and list, as CI does.
   */
  queues?: ReadonlyArray<{ bucket?: string; queueId: string; name?: string }>;
  /** Bucket served for requests whose Host is not a `*.myqcloud.com` virtual host; default `emulator-1250000000`. */
  defaultBucket?: string;
  /** Region of the default bucket; default `ap-guangzhou`. */
  defaultRegion?: string;
  /** Milliseconds a job stays `Submitted` (default 200) and `Running` (default 500). */
  timings?: { queuedMs?: number; runningMs?: number };
  /** Jobs `Running` at once per queue (each queue's `MaxConcurrent`); default 10, as CI queues show. */
  queueConcurrency?: number;
  /**
   * Buckets bound to speech recognition at start; others are bound with `POST /asrbucket`. Default: every bucket
   * starts bound (so plain job tests need no setup) until `DELETE /asrbucket` unbinds it. `[]` = none bound, as on a
   * fresh Tencent account. Jobs and setup calls on an unbound bucket are refused (see docs/emulator.md).
   */
  asrBuckets?: readonly string[];
  /**
   * CI's API rate limit: CI API requests (jobs, queues, templates...) above `requestsPerSecond` (with `burst` at once
   * from idle, default one second's worth) are answered `503 SlowDown`, as CI does. Default: no limit.
   */
  apiRateLimit?: { requestsPerSecond: number; burst?: number };
  /**
   * How to answer where no source settles CI's behaviour (auth status, `Result` spacing, JSON callback shape,
   * throttling status, last-page `NextToken`, unbound-bucket code, undecodable-media code, `queueId` on lists); each
   * field left out takes its default (`DEFAULT_VARIANTS`). See docs/emulator.md, "Variants".
   */
  variants?: Partial<EmulatorVariants>;
  /** Faults injected from the start; see {@link FaultConfig}. */
  faults?: Partial<FaultConfig>;
  /** JSON file the state (jobs and objects) is persisted to and reloaded from; default none (memory only). */
  stateFile?: string;
  /** Milliseconds one callback POST may take; default 5000. */
  callbackTimeoutMs?: number;
  /** Callback retries on network errors, 429 and 5xx; default 3 attempts, 200 ms first backoff (doubling). */
  callbackRetry?: Partial<CallbackRetry>;
  /**
   * ASR templates usable through `Operation/TemplateId` from the start (listed by `GET /template` in every bucket);
   * `POST /template` adds more. Default none.
   */
  templates?: Record<string, EmulatorTemplate>;
}

/** A running emulator. */
export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`; also usable as an HTTP proxy for `*.myqcloud.com` URLs. */
  url: string;
  /** Stops listening, timers and callbacks; writes the state file when configured. */
  close(): Promise<void>;
  /** Changes faults at run time; same as `PUT /_emulator/faults`. */
  setFaults(faults: Partial<FaultConfig>): void;
  /** A copy of the counters; same as `GET /_emulator/counters`. */
  counters(): EmulatorCounters;
  /** Seeds an object directly, without a signed request. */
  putObject(bucket: string, key: string, body: Buffer | string): void;
  /** Issues temporary keys valid for `durationSeconds` (default 1800), as STS would; same as `POST /_emulator/sts`. */
  issueCredentials(durationSeconds?: number): IssuedCredentials;
  /** Adds a queue to `bucket` (default bucket when unset) and returns its id; same as `POST /_emulator/queues`. */
  addQueue(bucket?: string, queueId?: string): string;
}
