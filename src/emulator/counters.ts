/** What the emulator has seen and done since start or the last reset (`GET /_emulator/counters`). */
export interface EmulatorCounters {
  /** Requests by route name, e.g. `POST /asr_jobs`, `GET /asr_jobs/:ids`, `PUT /jobs/:id?cancel`, `PUT object`. */
  requests: Record<string, number>;
  /** Jobs committed (including those whose submit response was lost). */
  jobsCreated: number;
  /** Jobs by input: `bucket/key` for an object input, the URL for a URL input. */
  jobsByInputObject: Record<string, number>;
  /** Jobs by `Operation/UserData` (jobs without UserData are not counted here). */
  jobsByUserData: Record<string, number>;
  /** Callback HTTP attempts, including duplicates and retries. */
  callbacksSent: number;
  /** Callback attempts the receiver answered with 2xx. */
  callbacksDelivered: number;
  /** CI API requests answered `503 SlowDown` by the API rate limit (`apiRateLimit`), by route. */
  throttled: Record<string, number>;
  /**
   * Most jobs unfinished at once (`Submitted`, `Pause` or `Running`, every queue): what a client's concurrency cap
   * bounds. A counter reset starts it again from the jobs unfinished at the time.
   */
  peakActiveJobs: number;
  /** Faults injected by kind, e.g. `POST /asr_jobs:5xx`, `POST /asr_jobs:throttle`, `submit:lostResponse`. */
  faultsInjected: Record<string, number>;
  /** Requests refused by signature or token checks, by error code (e.g. COS's `ExpiredToken`, CI's `SignatureExpired`). */
  authRejections: Record<string, number>;
  /** Request bodies read (only requests that passed the signature check are read). */
  bodiesRead: number;
}

/** A zeroed counter set. */
export function emptyCounters(): EmulatorCounters {
  return {
    requests: {},
    jobsCreated: 0,
    jobsByInputObject: {},
    jobsByUserData: {},
    callbacksSent: 0,
    callbacksDelivered: 0,
    peakActiveJobs: 0,
    throttled: {},
    faultsInjected: {},
    authRejections: {},
    bodiesRead: 0,
  };
}

/** Adds one to `record[key]`. */
export function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** A deep copy, so callers cannot change the live counters. */
export function snapshotCounters(counters: EmulatorCounters): EmulatorCounters {
  return structuredClone(counters);
}
