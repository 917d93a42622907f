import { TencentCiAsrError } from '../shared/errors';

/** Faults for one route: every share is a probability in [0, 1]; 1 means every request. */
export interface RouteFaults {
  /** Share of requests answered `500 InternalError` before any processing. Default 0. */
  serverErrorShare?: number;
  /** Share of requests answered with the throttling error (`503 SlowDown`, see docs/emulator.md). Default 0. */
  throttleShare?: number;
  /** Milliseconds added before the request is handled. Default 0. */
  latencyMs?: number;
  /** Share of requests refused with `403 AccessDenied` (a permanent refusal, e.g. a revoked CAM policy). Default 0. */
  deniedShare?: number;
}

/** Forces matching jobs to end `Failed` with the given code and message instead of running. */
export interface ForcedFailure {
  /** `JobsDetail/Code` of the failed job, e.g. `InternalError`. */
  code: string;
  /** `JobsDetail/Message` of the failed job. */
  message: string;
  /** Regular expression (source text) matched against the input object key or URL; absent = every job. */
  inputPattern?: string;
}

/**
 * Everything the emulator can break on purpose. Set at start (`EmulatorOptions.faults`) and changed at run time with
 * `setFaults` or `PUT /_emulator/faults` (a partial object; given top-level fields replace the current ones).
 */
export interface FaultConfig {
  /** Per-route faults keyed by route name (e.g. `POST /asr_jobs`, `GET object`) or `*` for every route. */
  routes: Record<string, RouteFaults>;
  /** The next N submits are committed (the job exists and runs) but the connection is reset instead of answered. */
  loseSubmitResponses: number;
  /** Share of job-finished callbacks never sent. */
  callbackDropShare: number;
  /** Share of callbacks sent twice (the copy right after the first delivery). */
  callbackDuplicateShare: number;
  /** Milliseconds to wait before sending each callback. */
  callbackDelayMs: number;
  /**
   * Share of submits whose job runs to completion at once and whose callback is delivered before the submit response
   * is written (the response still shows the job as `Submitted`, as committed).
   */
  callbackEarlyShare: number;
  /** Callbacks are held until this many are pending, then sent newest first. 0 or 1 = in order. */
  callbackReorderWindow: number;
  /** Jobs matching a rule (first match wins) end `Failed` with its code and message after their running time. */
  failJobs: ForcedFailure[];
  /**
   * Regular expressions (source text) matched against the input object key or URL: a matching job stays `Running`
   * past its running time until its pattern is removed (one slow recording among quick ones).
   */
  holdJobs: string[];
  /**
   * Regular expressions (source text) matched against object keys: a `PUT` of a matching key is answered
   * `500 InternalError` until its pattern is removed (one COS object that cannot be written for a while).
   */
  failObjectWrites: string[];
  /** Queue ids whose waiting jobs are held in state `Pause` (a paused CI queue) until the id is removed. */
  pausedQueues: string[];
  /** New jobs start `Running` as they are submitted (queue time skipped), so CI refuses to cancel them. */
  startJobsAtOnce: boolean;
  /** Temporary tokens issued before this epoch ms are refused (COS hosts `ExpiredToken`, CI hosts `SignatureExpired`; `Date.now()` = expire all). 0 = off. */
  expireTokensIssuedBefore: number;
  /** Temporary tokens are refused (as expired) once older than this many ms, whatever their ExpiredTime. 0 = off. */
  tokenLifetimeMs: number;
}

/** A configuration that injects nothing. */
export function noFaults(): FaultConfig {
  return {
    routes: {},
    loseSubmitResponses: 0,
    callbackDropShare: 0,
    callbackDuplicateShare: 0,
    callbackDelayMs: 0,
    callbackEarlyShare: 0,
    callbackReorderWindow: 0,
    failJobs: [],
    holdJobs: [],
    failObjectWrites: [],
    pausedQueues: [],
    startJobsAtOnce: false,
    expireTokensIssuedBefore: 0,
    tokenLifetimeMs: 0,
  };
}

/** Thrown by {@link mergeFaults} when a fault configuration has a field of the wrong type or out of range. */
export class InvalidFaultConfigError extends TencentCiAsrError {
  override readonly name = 'InvalidFaultConfigError';
}

const SHARES = ['callbackDropShare', 'callbackDuplicateShare', 'callbackEarlyShare'] as const;
const COUNTS = [
  'loseSubmitResponses',
  'callbackDelayMs',
  'callbackReorderWindow',
  'expireTokensIssuedBefore',
  'tokenLifetimeMs',
] as const;

function isShare(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && value >= 0 && value <= 1);
}

function isCount(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= 0);
}

function checkRoutes(routes: unknown): string[] {
  if (routes === undefined) return [];
  if (typeof routes !== 'object' || routes === null) return ['routes must be an object'];
  return Object.entries(routes as Record<string, RouteFaults>).flatMap(([name, f]) => {
    const ok =
      isShare(f?.serverErrorShare) && isShare(f?.throttleShare) && isShare(f?.deniedShare) && isCount(f?.latencyMs);
    return ok ? [] : [`routes[${name}] needs shares in [0,1] and a whole latencyMs >= 0`];
  });
}

function patternProblem(pattern: unknown, where: string): string[] {
  try {
    new RegExp(pattern as string);
    return typeof pattern === 'string' ? [] : [`${where} must be a string`];
  } catch {
    return [`${where} is not a valid regular expression`];
  }
}

function checkPatterns(name: string, patterns: unknown): string[] {
  if (patterns === undefined) return [];
  if (!Array.isArray(patterns)) return [`${name} must be an array of regular expressions`];
  return patterns.flatMap((pattern, i) => patternProblem(pattern, `${name}[${i}]`));
}

function checkFailJobs(rules: unknown): string[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) return ['failJobs must be an array'];
  return rules.flatMap((r: Partial<ForcedFailure>, i) => {
    if (typeof r?.code !== 'string' || typeof r.message !== 'string') return [`failJobs[${i}] needs code and message`];
    if (r.inputPattern === undefined) return [];
    try {
      new RegExp(r.inputPattern);
      return [];
    } catch {
      return [`failJobs[${i}].inputPattern is not a valid regular expression`];
    }
  });
}

/** Merges `patch` over `current` after checking it; throws {@link InvalidFaultConfigError} naming every problem. */
export function mergeFaults(current: FaultConfig, patch: Partial<FaultConfig>): FaultConfig {
  const problems = [
    ...SHARES.filter((k) => !isShare(patch[k])).map((k) => `${k} must be a number in [0,1]`),
    ...COUNTS.filter((k) => !isCount(patch[k])).map((k) => `${k} must be a whole number >= 0`),
    ...checkRoutes(patch.routes),
    ...checkFailJobs(patch.failJobs),
    ...checkPatterns('holdJobs', patch.holdJobs),
    ...checkPatterns('failObjectWrites', patch.failObjectWrites),
    ...(patch.pausedQueues === undefined ||
    (Array.isArray(patch.pausedQueues) && patch.pausedQueues.every((q) => typeof q === 'string'))
      ? []
      : ['pausedQueues must be an array of queue ids']),
    ...(patch.startJobsAtOnce === undefined || typeof patch.startJobsAtOnce === 'boolean'
      ? []
      : ['startJobsAtOnce must be true or false']),
  ];
  if (problems.length > 0) throw new InvalidFaultConfigError(`Invalid fault config: ${problems.join('; ')}`);
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return { ...current, ...defined };
}

/** The faults that apply to `route`: its own entry over the `*` entry. */
export function routeFaults(config: FaultConfig, route: string): Required<RouteFaults> {
  const merged = { ...config.routes['*'], ...config.routes[route] };
  return {
    serverErrorShare: merged.serverErrorShare ?? 0,
    throttleShare: merged.throttleShare ?? 0,
    latencyMs: merged.latencyMs ?? 0,
    deniedShare: merged.deniedShare ?? 0,
  };
}

/** Whether a fault with probability `share` fires; shares 0 and 1 are exact so tests stay deterministic. */
export function fires(share: number, random: () => number = Math.random): boolean {
  if (share <= 0) return false;
  if (share >= 1) return true;
  return random() < share;
}

/** The first forced-failure rule matching an input key or URL. */
export function forcedFailureFor(config: FaultConfig, input: string): ForcedFailure | undefined {
  return config.failJobs.find((rule) => rule.inputPattern === undefined || new RegExp(rule.inputPattern).test(input));
}

/** Whether a `failObjectWrites` pattern refuses a `PUT` of this object key. */
export function writeFails(config: FaultConfig, key: string): boolean {
  return config.failObjectWrites.some((pattern) => new RegExp(pattern).test(key));
}

/** Whether a `holdJobs` pattern keeps the job with this input key or URL running. */
export function isHeld(config: FaultConfig, input: string): boolean {
  return config.holdJobs.some((pattern) => new RegExp(pattern).test(input));
}
