import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallbackGateView } from '../src/workflows/transcribe-media/callback-gate';
import { callbackRefusal, MAX_PENDING_BEFORE_SUBMIT } from '../src/workflows/transcribe-media/callback-gate';
import { CallbackInbox } from '../src/workflows/transcribe-media/decide';
import { HISTORY_BUDGET, historyBudgetSpent } from '../src/workflows/transcribe-media/history-budget';
import type { CiCallbackSignal } from '../src/workflows/messages';

const at = '2026-12-01T00:00:00Z';
const callback = (jobId: string, state: CiCallbackSignal['state'] = 'Success'): CiCallbackSignal => ({
  jobId,
  state,
  receivedAt: at,
});

function view(overrides: Partial<CallbackGateView> = {}): CallbackGateView {
  return { ended: false, jobId: 'job', pending: new CallbackInbox(), ...overrides };
}

describe('callback update validator (what never reaches the run history)', () => {
  it('accepts the first final state of the run own job', () => {
    for (const state of ['Success', 'Failed', 'Cancel'] as const) {
      assert.equal(callbackRefusal(view(), callback('job', state)), undefined, state);
    }
  });

  it('refuses other jobs, non-final states and anything after the run ended', () => {
    assert.equal(callbackRefusal(view(), callback('forged')), 'other_job');
    for (const state of ['Submitted', 'Running', 'Pause'] as const) {
      assert.equal(callbackRefusal(view(), callback('job', state)), 'not_final', state);
    }
    assert.equal(callbackRefusal(view({ ended: true }), callback('job')), 'finished');
  });

  it('collapses a second callback while one for the job already waits', () => {
    const pending = new CallbackInbox();
    pending.add(callback('job'));
    assert.equal(callbackRefusal(view({ pending }), callback('job', 'Failed')), 'duplicate');
  });

  it('keeps a few callbacks before the job id is known, then refuses more', () => {
    const pending = new CallbackInbox();
    for (let i = 0; i < MAX_PENDING_BEFORE_SUBMIT; i++) {
      assert.equal(callbackRefusal(view({ jobId: undefined, pending }), callback(`j${i}`)), undefined);
      pending.add(callback(`j${i}`));
    }
    assert.equal(callbackRefusal(view({ jobId: undefined, pending }), callback('j0')), 'duplicate');
    assert.equal(callbackRefusal(view({ jobId: undefined, pending }), callback('another')), 'duplicate');
  });
});

describe('history budget', () => {
  const quiet = { historyLength: 100, historySize: 10_000, continueAsNewSuggested: false };

  it('is spent when the server suggests continue-as-new or the run passes its own limits', () => {
    assert.equal(historyBudgetSpent(quiet), false);
    assert.equal(historyBudgetSpent({ ...quiet, continueAsNewSuggested: true }), true);
    assert.equal(historyBudgetSpent({ ...quiet, historyLength: HISTORY_BUDGET.events }), true);
    assert.equal(historyBudgetSpent({ ...quiet, historySize: HISTORY_BUDGET.bytes }), true);
  });
});
