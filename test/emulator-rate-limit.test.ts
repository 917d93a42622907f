import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiRateLimiter } from '../src/emulator/rate-limit';
import { getJobs, proxyClient, startTestEmulator } from './fixtures/emulator-helpers';

describe('emulator API rate limit', () => {
  it('lets a burst through, then one request per 1/rate seconds', () => {
    let now = 1_000;
    const limiter = new ApiRateLimiter(2, 3, () => now);
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.take()),
      [true, true, true, false],
    );
    now += 499;
    assert.equal(limiter.take(), false);
    now += 1;
    assert.equal(limiter.take(), true);
    now += 10_000;
    // Idle time refills up to the burst only.
    assert.deepEqual(
      [1, 2, 3, 4].map(() => limiter.take()),
      [true, true, true, false],
    );
  });

  it('answers CI API requests over the limit 503 SlowDown, and counts them', async () => {
    const emulator = await startTestEmulator({ apiRateLimit: { requestsPerSecond: 1, burst: 2 } });
    try {
      const cos = proxyClient(emulator);
      const answers = await Promise.allSettled(
        [1, 2, 3].map(() => getJobs(cos, ['s0123456789abcdef0123456789abcdef'])),
      );
      const rejected = answers.filter((a) => a.status === 'rejected').map((a) => a.reason as Record<string, unknown>);
      const throttled = rejected.filter((r) => r.statusCode === 503);
      assert.equal(throttled.length, 1, JSON.stringify(rejected));
      assert.equal((throttled[0]!.error as { Code?: string }).Code, 'SlowDown');
      // The SDK itself retries a 503 before giving up: every attempt past the burst was throttled.
      const { requests, throttled: byRoute } = emulator.counters();
      const route = Object.keys(byRoute)[0]!;
      assert.ok(byRoute[route]! >= 1);
      assert.equal(requests[route], 2 + byRoute[route]!);
    } finally {
      await emulator.close();
    }
  });
});
