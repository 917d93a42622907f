import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { submitThroughRefusals } from '../src/activities/submit/refusals';
import { CiError } from '../src/ci/errors';
import type { AsrJob } from '../src/ci/types';

const JOB = { JobId: 's1' } as AsrJob;

function ciError(code: string, retryable: boolean, outcomeUnknown: boolean): CiError {
  return new CiError({ action: 'submit', target: 'the bucket', code, statusCode: 503, retryable, outcomeUnknown });
}

/** A send that fails with `errors` in turn, then answers JOB; counts its calls. */
function sendFailing(...errors: Error[]) {
  let calls = 0;
  return {
    send: () => {
      const err = errors[calls++];
      return err ? Promise.reject(err) : Promise.resolve(JOB);
    },
    calls: () => calls,
  };
}

describe('submitThroughRefusals', () => {
  it('sends again after refusals that made no job, and counts them', async () => {
    const flaky = sendFailing(ciError('SlowDown', true, false), ciError('SlowDown', true, false));
    const accepted = await submitThroughRefusals(flaky.send, new AbortController().signal);
    assert.deepEqual(accepted, { job: JOB, refusedSends: 2 });
    assert.equal(flaky.calls(), 3);
  });

  it('throws at once when a send may have made a job, or cannot succeed', async () => {
    for (const err of [ciError('InternalError', true, true), ciError('AccessDenied', false, false), new Error('x')]) {
      const once = sendFailing(err);
      await assert.rejects(submitThroughRefusals(once.send, new AbortController().signal), err);
      assert.equal(once.calls(), 1);
    }
  });

  it('leaves the fourth refusal to Temporal', async () => {
    const refusals = Array.from({ length: 4 }, () => ciError('SlowDown', true, false));
    const throttled = sendFailing(...refusals);
    await assert.rejects(submitThroughRefusals(throttled.send, new AbortController().signal), refusals[3]);
    assert.equal(throttled.calls(), 4);
  });

  it("ends a backoff with the attempt's own abort reason", async () => {
    const controller = new AbortController();
    const reason = new Error('submit attempt reached its own deadline');
    const throttled = sendFailing(ciError('SlowDown', true, false));
    const pending = submitThroughRefusals(throttled.send, controller.signal);
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(pending, reason);
  });
});
