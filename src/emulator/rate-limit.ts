/**
 * CI's API rate limit as the emulator plays it: a token bucket over every CI API request (COS object requests are
 * not counted). Tencent documents a per-account request rate for the CI API and answers requests above it with
 * `503 SlowDown` (see docs/emulator.md); the refill is continuous, so a client that backs off gets through.
 */
export class ApiRateLimiter {
  private tokens: number;
  private lastMs: number;

  /**
   * @param requestsPerSecond sustained rate (> 0)
   * @param burst requests allowed at once from idle; default one second's worth
   */
  constructor(
    private readonly requestsPerSecond: number,
    private readonly burst: number = Math.max(1, requestsPerSecond),
    private readonly clock: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.lastMs = clock();
  }

  /** Takes one request's token; false when the request is over the limit. */
  take(): boolean {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.lastMs) * this.requestsPerSecond) / 1000);
    this.lastMs = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
