import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  etaSeconds,
  itemsPerMinute,
  quotaWait,
  RATE_WINDOW,
  withCompletion,
} from '../src/workflows/transcribe-batch/progress';

describe('batch progress', () => {
  it('measures the rate over the most recent completions only', () => {
    let recent: number[] = [];
    for (let i = 0; i < RATE_WINDOW + 10; i += 1) recent = withCompletion(recent, i * 1000);
    assert.equal(recent.length, RATE_WINDOW);
    assert.equal(recent[0], 10_000);
    assert.equal(itemsPerMinute(recent), 60);
  });

  it('has no rate before two completions, nor an ETA without a rate', () => {
    assert.equal(itemsPerMinute([]), undefined);
    assert.equal(itemsPerMinute([5]), undefined);
    assert.equal(itemsPerMinute([5, 5]), undefined);
    assert.equal(etaSeconds(10, undefined), undefined);
    assert.equal(etaSeconds(undefined, 60), undefined);
    assert.equal(etaSeconds(90, 60), 90);
    assert.equal(etaSeconds(0, 60), 0);
  });

  it('says which quota the batch waits for', () => {
    const base = { canStartMore: true, running: 2, cap: 2, capIsQuota: true, oldestAdmissionWaitMs: 0 };
    assert.equal(quotaWait(base), 'ci-concurrency');
    assert.equal(quotaWait({ ...base, capIsQuota: false }), undefined, 'its own maxInFlight is not a quota');
    assert.equal(quotaWait({ ...base, canStartMore: false }), undefined);
    assert.equal(quotaWait({ ...base, running: 1 }), undefined);
    assert.equal(quotaWait({ ...base, running: 1, oldestAdmissionWaitMs: 500 }), undefined, 'a round trip');
    assert.equal(quotaWait({ ...base, running: 1, oldestAdmissionWaitMs: 2_500 }), 'submit-rate');
  });
});
