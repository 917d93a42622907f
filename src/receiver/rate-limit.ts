import { BoundedMap } from './bounded-map';

/** One token bucket's settings. */
export interface BucketSettings {
  /** Tokens a full bucket holds: the burst allowed at once. */
  burst: number;
  /** Tokens added per second. */
  perSecond: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key (a workflow id, a client address), at most `maxKeys` of them. A forgotten key starts again with
 * a full bucket, which only ever errs towards letting a request through; keep `maxKeys` above the number of keys
 * active within one refill time.
 */
export class RateLimiter {
  private readonly buckets: BoundedMap<string, Bucket>;

  constructor(
    private readonly settings: BucketSettings,
    maxKeys: number,
  ) {
    if (!(settings.burst >= 1) || !(settings.perSecond > 0)) {
      throw new RangeError('RateLimiter needs burst >= 1 and perSecond > 0');
    }
    this.buckets = new BoundedMap(maxKeys);
  }

  /**
   * Takes one token for `key` at `nowMs`: 0 when taken, else the whole seconds to wait until one is there (for
   * `Retry-After`, at least 1).
   */
  take(key: string, nowMs: number): number {
    const { burst, perSecond } = this.settings;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + (Math.max(0, nowMs - bucket.at) / 1000) * perSecond);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond));
  }
}
