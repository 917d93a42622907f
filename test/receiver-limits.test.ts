import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CiCallbackNotification } from '../src/callback/notification';
import { BoundedMap } from '../src/receiver/bounded-map';
import { DeliveryLedger } from '../src/receiver/delivery-ledger';
import { HealthMonitor } from '../src/receiver/health';
import { RateLimiter } from '../src/receiver/rate-limit';

describe('RateLimiter (token buckets by key)', () => {
  it('allows the burst, then answers the seconds until a token is back', () => {
    const limiter = new RateLimiter({ burst: 3, perSecond: 1 }, 100);
    assert.deepEqual(
      [0, 1, 2, 3].map(() => limiter.take('a', 1_000)),
      [0, 0, 0, 1],
    );
    assert.equal(limiter.take('a', 1_500), 1, 'half a token is not a token');
    assert.equal(limiter.take('a', 2_000), 0, 'refilled at perSecond');
    assert.equal(limiter.take('b', 2_000), 0, 'each key has its own bucket');
  });

  it('rounds Retry-After up to whole seconds and never refills past the burst', () => {
    const slow = new RateLimiter({ burst: 1, perSecond: 0.25 }, 10);
    assert.equal(slow.take('k', 0), 0);
    assert.equal(slow.take('k', 0), 4);
    const limiter = new RateLimiter({ burst: 2, perSecond: 10 }, 10);
    limiter.take('k', 0);
    assert.deepEqual(
      [0, 1, 2].map(() => limiter.take('k', 3_600_000)),
      [0, 0, 1],
      'an hour idle is still 2',
    );
  });

  it('keeps at most maxKeys buckets (a forgotten key starts full)', () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 1 }, 2);
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0); // forgets a
    assert.equal(limiter.take('a', 0), 0);
    assert.equal(limiter.take('c', 0), 1);
  });

  it('refuses settings that would never allow a request', () => {
    assert.throws(() => new RateLimiter({ burst: 0, perSecond: 1 }, 1), RangeError);
    assert.throws(() => new RateLimiter({ burst: 1, perSecond: 0 }, 1), RangeError);
  });
});

describe('BoundedMap', () => {
  it('forgets the least recently used entry first', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.get('a');
    map.set('c', 3);
    assert.deepEqual([map.get('a'), map.get('b'), map.get('c'), map.size], [1, undefined, 3, 2]);
  });
});

describe('DeliveryLedger (what the receiver decides without Temporal)', () => {
  const tag = 'temporal-asr:v1:00';
  const v2 = { version: 2 as const, workflowId: 'wf', jobTag: tag };
  /** An entry with the bound tag, another tag, or (`null`) none. */
  const entry = (jobId: string, state: CiCallbackNotification['state'], userData: string | null = tag) => ({
    jobId,
    state,
    userData: userData ?? undefined,
  });

  it('refuses entries whose UserData is not the tag a v2 URL is bound to; v1 URLs have no tag to check', () => {
    const ledger = new DeliveryLedger(10);
    assert.equal(ledger.verdict(v2, entry('j', 'Success', null)), 'wrong_job');
    assert.equal(ledger.verdict(v2, entry('j', 'Success', `${tag}x`)), 'wrong_job');
    assert.equal(ledger.verdict(v2, entry('j', 'Success')), 'unknown');
    assert.equal(ledger.verdict({ version: 1, workflowId: 'wf' }, entry('j', 'Success', null)), 'unknown');
  });

  it('ignores non-final states, refuses other jobs once the run job is known, and collapses replays', () => {
    const ledger = new DeliveryLedger(10);
    assert.equal(ledger.verdict(v2, entry('j', 'Running')), 'not_final');
    ledger.learnJob('wf', 'j');
    assert.equal(ledger.verdict(v2, entry('forged', 'Success')), 'other_job');
    assert.equal(ledger.verdict(v2, entry('j', 'Success')), 'genuine');
    ledger.delivered('wf', entry('j', 'Success'));
    assert.equal(ledger.verdict(v2, entry('j', 'Success')), 'duplicate');
    assert.equal(ledger.verdict(v2, entry('j', 'Failed')), 'genuine', 'another final state is news');
    ledger.closed('wf');
    assert.equal(ledger.verdict(v2, entry('j', 'Failed')), 'finished');
  });

  it('lets the first unknown entry of a workflow go straight to it, without a status query first', () => {
    // CI's genuine callback is the first entry a run's URL ever receives: asking the run its job first would put a
    // second worker round trip (a query, a replay when the run is not cached) in front of the update that takes it.
    const ledger = new DeliveryLedger(10, 5_000);
    assert.equal(ledger.shouldAsk('wf', 0), false, 'the first entry: the update answers and teaches the job');
    assert.equal(ledger.shouldAsk('wf', 1), true, 'a second unknown entry: learn the job once, refuse the rest here');
  });

  it('asks a workflow for its job at most once per interval, and never once known', () => {
    const ledger = new DeliveryLedger(10, 5_000);
    assert.equal(ledger.shouldAsk('wf', 0), false);
    assert.equal(ledger.shouldAsk('wf', 0), true);
    assert.equal(ledger.shouldAsk('wf', 4_999), false);
    assert.equal(ledger.shouldAsk('wf', 5_000), true);
    ledger.learnJob('wf', 'j');
    assert.equal(ledger.shouldAsk('wf', 60_000), false);
  });

  it('remembers at most capacity workflows', () => {
    const ledger = new DeliveryLedger(2);
    ledger.learnJob('a', 'ja');
    ledger.learnJob('b', 'jb');
    ledger.learnJob('c', 'jc');
    assert.deepEqual([ledger.knowsJob('a'), ledger.knowsJob('b'), ledger.knowsJob('c')], [false, true, true]);
  });
});

describe('HealthMonitor', () => {
  it('answers probes from the last background check, one check at a time', async () => {
    let checks = 0;
    let release: (ok: boolean) => void = () => {};
    const monitor = new HealthMonitor(
      () => {
        checks++;
        return new Promise<boolean>((resolve) => (release = resolve));
      },
      3_600_000,
      () => new Date('2026-12-01T00:00:00Z'),
    );
    monitor.start();
    const first = monitor.current();
    release(true);
    assert.deepEqual(await first, { temporal: 'ok', checkedAt: '2026-12-01T00:00:00.000Z' });
    for (let i = 0; i < 50; i++) assert.equal((await monitor.current()).temporal, 'ok');
    assert.equal(checks, 1, 'probes never trigger a check');
    monitor.stop();
  });

  it('reports a failing check as unavailable', async () => {
    const monitor = new HealthMonitor(
      () => Promise.reject(new Error('down')),
      3_600_000,
      () => new Date(),
    );
    monitor.start();
    assert.equal((await monitor.current()).temporal, 'unavailable');
    monitor.stop();
  });
});
