import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { CiJobsApi } from '../src/activities/deps';
import { toActivityFailure } from '../src/activities/failures';
import {
  anchoredWindow,
  findTaggedJobs,
  LookupTruncatedError,
  lookupWindow,
  MAX_LOOKUP_PAGES,
} from '../src/activities/submit/lookup';
import { attemptBudgetMs } from '../src/activities/submit/deadline';
import type { CleanupReport } from '../src/contract';
import type { ListAsrJobsFilter } from '../src/ci/list-filter';
import type { AsrJob } from '../src/ci/types';
import { FailureType } from '../src/shared/failure-types';
import { searchAttributeCommands } from '../src/plugin/namespace-check';
import {
  cancelOutcomeIn,
  cleanupPlan,
  cleanupSummary,
  deadlineFailure,
  lateStartFailure,
  submitDeadlineFailure,
  withCleanup,
} from '../src/workflows/failures';

const TAG = 'temporal-asr:v1:abc';

function job(id: string, at: number, userData = TAG): AsrJob {
  return { JobId: id, State: 'Running', CreationTime: new Date(at), Operation: { UserData: userData } } as AsrJob;
}

/** Pages served in order; the list API is the unit's only collaborator, so a table of pages stands in for it. */
function pagedCi(pages: { jobs: AsrJob[]; nextToken?: string }[]): { ci: CiJobsApi; calls: ListAsrJobsFilter[] } {
  const calls: ListAsrJobsFilter[] = [];
  const list = (filter: ListAsrJobsFilter) => {
    calls.push(filter);
    return Promise.resolve(pages[calls.length - 1] ?? { jobs: [] });
  };
  const unused = () => Promise.reject(new Error('not used'));
  return { ci: { list, submit: unused, get: unused, cancel: unused }, calls };
}

describe('finding a step’s jobs', () => {
  it('stops at a repeated NextToken and counts a job seen on two pages once', async () => {
    const { ci, calls } = pagedCi([
      { jobs: [job('b', 2), job('x', 1, 'other')], nextToken: 't1' },
      { jobs: [job('b', 2), job('a', 1)], nextToken: 't2' },
      { jobs: [job('a', 1)], nextToken: 't1' },
      { jobs: [job('never', 3)] },
    ]);
    const found = await findTaggedJobs(ci, TAG, { sinceMs: 10_000, nowMs: 10_000 });
    assert.deepEqual(
      found.map((j) => j.JobId),
      ['a', 'b'],
    );
    assert.equal(calls.length, 3, 'the page after the repeated token is never asked for');
    assert.deepEqual(
      calls.map((c) => c.nextToken),
      [undefined, 't1', 't2'],
    );
  });

  it('a lookup that reaches its page cap with pages left says so (retryable), never "nothing found"', async () => {
    // Full pages of other applications' jobs, each with a new token, past the cap; the step's job is on page 2.
    const pages = Array.from({ length: MAX_LOOKUP_PAGES + 5 }, (_, i) => ({
      jobs: i === 1 ? [job('mine', 1), job(`x${i}`, 1, 'other')] : [job(`x${i}`, 1, 'other')],
      nextToken: `t${i}`,
    }));
    const { ci, calls } = pagedCi(pages);
    const err = await findTaggedJobs(ci, TAG, { sinceMs: 10_000, nowMs: 10_000 }).then(
      () => assert.fail('a truncated lookup must not answer'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof LookupTruncatedError, String(err));
    assert.deepEqual(
      err.found.map((j) => j.JobId),
      ['mine'],
      'what it did find is kept for the cleanup',
    );
    assert.equal(calls.length, MAX_LOOKUP_PAGES);
    const failure = toActivityFailure(err);
    assert.ok(failure instanceof ApplicationFailure);
    assert.equal(failure.nonRetryable, false);
    assert.equal(failure.type, FailureType.CiTransientError);
  });

  it("anchors the first attempt's sweep on CI's own creation time, widened by the attempt's duration", () => {
    const created = new Date('2026-12-01T10:00:00Z');
    const { start, end } = anchoredWindow(created, 4_000);
    // Back by the attempt's duration (an earlier send of the same request) plus slack for CI's whole seconds.
    assert.deepEqual(
      [start.toISOString(), end.toISOString()],
      ['2026-12-01T09:59:51.000Z', '2026-12-01T10:00:05.000Z'],
    );
    const clamped = anchoredWindow(created, -50);
    assert.equal(end.getTime() - start.getTime() > clamped.end.getTime() - clamped.start.getTime(), true);
  });

  it('calls a worker clock far behind the server a retryable skew, never invalid input', () => {
    const err = (() => {
      try {
        lookupWindow(Date.parse('2026-01-01T01:00:00Z'), Date.parse('2026-01-01T00:00:00Z'));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, FailureType.WorkerClockSkew);
    assert.equal(err.nonRetryable, false);
    assert.match(err.message, /3600s behind the Temporal server/);
    const { start, end } = lookupWindow(1_000_000, 1_000_000 - 60_000);
    assert.ok(start.getTime() < end.getTime(), 'a small skew still gives a window');
  });
});

describe('an attempt’s own deadline', () => {
  const at = 1_000_000;
  it('is the earlier of start-to-close and what is left of schedule-to-close, each less 2 s', () => {
    const timing = { startToCloseTimeoutMs: 60_000, scheduledTimestampMs: at, currentAttemptScheduledTimestampMs: at };
    assert.equal(attemptBudgetMs({ ...timing, scheduleToCloseTimeoutMs: 0 }, at), 58_000, 'no schedule-to-close');
    assert.equal(attemptBudgetMs({ ...timing, scheduleToCloseTimeoutMs: 600_000 }, at), 58_000);
    // A retry scheduled 50 s into a 60 s budget: 10 s left, so 8 s, whatever its start-to-close.
    const retry = { ...timing, scheduleToCloseTimeoutMs: 60_000, currentAttemptScheduledTimestampMs: at + 50_000 };
    assert.equal(attemptBudgetMs(retry, at + 50_000), 8_000);
    assert.equal(attemptBudgetMs(retry, at + 53_000), 5_000, 'the worker’s clock, when it says less is left');
  });

  it('keeps a 1 s floor for start-to-close (a retry adopts) and none for schedule-to-close (nothing adopts)', () => {
    const short = { startToCloseTimeoutMs: 2_000, scheduledTimestampMs: at, currentAttemptScheduledTimestampMs: at };
    assert.equal(attemptBudgetMs({ ...short, scheduleToCloseTimeoutMs: 0 }, at), 1_000);
    const late = { ...short, scheduleToCloseTimeoutMs: 10_000, currentAttemptScheduledTimestampMs: at + 9_000 };
    assert.equal(attemptBudgetMs(late, at + 9_000), 0, 'an attempt with under 2 s left sends nothing');
  });
});

describe('cleanup after a failing run', () => {
  const report: CleanupReport = {
    tag: TAG,
    cancelled: ['dup'],
    uncancelled: [{ jobId: 'j', state: 'Running', reason: 'not-cancellable' }],
  };

  it('keeps a job the run saw finish, and skips runs whose input never reached CI', () => {
    assert.deepEqual(cleanupPlan(new Error('x'), 'j', 'Failed'), { skip: false, keepJobId: 'j' });
    assert.deepEqual(cleanupPlan(new Error('x'), 'j', 'Running'), { skip: false });
    const invalid = ApplicationFailure.create({ type: FailureType.InvalidTranscriptionInput, nonRetryable: true });
    assert.deepEqual(cleanupPlan(invalid, undefined, undefined), { skip: true });
    // A run that never called the submit has no job to look for.
    assert.deepEqual(cleanupPlan(lateStartFailure(2_500), undefined, undefined), { skip: true });
    assert.deepEqual(cleanupPlan(submitDeadlineFailure('timed out'), undefined, undefined), { skip: false });
  });

  it('a run whose deadline passed before its first submit times out, saying nothing was submitted', () => {
    const late = lateStartFailure(2_500);
    assert.equal(late.type, FailureType.TranscriptionTimedOut);
    assert.equal(late.nonRetryable, true);
    assert.match(late.message, /^Deadline passed 3 s before the run could submit .*nothing was submitted$/);
    assert.deepEqual(late.details, [{ cancelOutcome: 'never-submitted', lateByMs: 2_500 }]);
  });

  it('says what happened to the run’s job in the terms of a cancel', () => {
    assert.equal(cancelOutcomeIn(report, 'dup')?.outcome, 'cancelled');
    assert.equal(cancelOutcomeIn(report, 'j')?.outcome, 'not-cancellable');
    assert.equal(cancelOutcomeIn(report, 'gone')?.outcome, 'not-found');
    assert.equal(cancelOutcomeIn({ ...report, lookupError: 'AccessDenied' }, 'j'), undefined);
  });

  it('adds what CI may bill to the failure’s details and message, keeping its type', () => {
    const deadline = withCleanup(deadlineFailure('j', cancelOutcomeIn(report, 'j')), report, 'j');
    assert.equal(deadline.type, FailureType.TranscriptionTimedOut);
    assert.equal(deadline.nonRetryable, true);
    assert.match(deadline.message, /cancel: not-cancellable.*CI would not cancel j \(Running\); it may bill them/);
    assert.deepEqual(deadline.details, [
      { jobId: 'j', cancelOutcome: 'not-cancellable', uncancelledJobs: report.uncancelled, cleanup: report },
    ]);
    const submit = withCleanup(
      submitDeadlineFailure('timed out'),
      { tag: TAG, cancelled: ['j'], uncancelled: [] },
      undefined,
    );
    assert.deepEqual((submit.details?.[0] as { cancelOutcome: string }).cancelOutcome, 'unknown');
    assert.equal(submit.message, 'Deadline passed while CI kept refusing the submit: timed out');
    const rejected = ApplicationFailure.create({ type: FailureType.CiRequestRejected, message: 'AccessDenied: no' });
    const wrapped = withCleanup(new Error('activity failed', { cause: rejected }), report, 'j');
    assert.equal(wrapped.type, FailureType.CiRequestRejected);
    assert.deepEqual((wrapped.details?.[0] as { jobId: string }).jobId, 'j');
    assert.match(
      cleanupSummary({ tag: TAG, cancelled: [], uncancelled: [], lookupError: 'denied' }) ?? '',
      /CI may hold one/,
    );
  });
});

describe('namespace check', () => {
  it('names one create command per attribute type', () => {
    assert.deepEqual(
      searchAttributeCommands('prod', [
        { name: 'CiJobId', type: 'KEYWORD' },
        { name: 'CiJobState', type: 'KEYWORD' },
      ]),
      ['temporal operator search-attribute create --namespace prod --name CiJobId --name CiJobState --type Keyword'],
    );
  });
});
