import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { JobSnapshot } from '../src/contract';
import { FailureType } from '../src/shared/failure-types';
import {
  deadlineFailure,
  finishedJobFailure,
  invalidInputFailure,
  lateStartFailure,
  submitDeadlineFailure,
  unstoredSuccessFailure,
  withoutJob,
  workflowFailure,
} from '../src/workflows/failures';
import { RunStatus } from '../src/workflows/transcribe-media/status';

const job = { jobId: 'sjob1', state: 'Submitted' } as const;

const transcript = { bucket: 'b-1', region: 'ap-x', key: 'asr/a.txt', uri: 'cos://b-1/asr/a.txt' };

describe('FailureType', () => {
  it('names every failure type by its own value', () => {
    for (const [key, value] of Object.entries(FailureType)) assert.equal(key, value);
  });
});

describe('workflow failures', () => {
  it('are non-retryable ApplicationFailures with one details object', () => {
    const failure = workflowFailure(FailureType.CiJobCancelled, 'gone', { jobId: 'j' });
    assert.ok(failure instanceof ApplicationFailure);
    assert.equal(failure.nonRetryable, true);
    assert.equal(failure.type, 'CiJobCancelled');
    assert.deepEqual(failure.details, [{ jobId: 'j' }]);
  });

  it('lists every input problem in the message and the details', () => {
    const failure = invalidInputFailure('transcribeMedia', ['a is wrong', 'b is missing']);
    assert.equal(failure.type, FailureType.InvalidTranscriptionInput);
    assert.equal(failure.message, 'Invalid transcribeMedia input: a is wrong; b is missing');
    assert.deepEqual(failure.details, [{ problems: ['a is wrong', 'b is missing'] }]);
  });

  it('tells a deadline before any job from one with a job, and says what the cancel did', () => {
    // CI may hold a job whose submit response was lost; only a run that never called the submit says never-submitted.
    assert.deepEqual(submitDeadlineFailure('timeout').details, [{ cancelOutcome: 'unknown' }]);
    assert.deepEqual(lateStartFailure(1500).details, [{ cancelOutcome: 'never-submitted', lateByMs: 1500 }]);
    const refused = deadlineFailure('j', { jobId: 'j', outcome: 'not-cancellable', state: 'Running' });
    assert.equal(refused.type, FailureType.TranscriptionTimedOut);
    assert.match(refused.message, /cancel: not-cancellable/);
    assert.deepEqual(refused.details, [{ jobId: 'j', cancelOutcome: 'not-cancellable' }]);
    assert.deepEqual(deadlineFailure('j', undefined).details, [{ jobId: 'j', cancelOutcome: 'error' }]);
  });

  it('a kept success whose store failed names the job and the transcript, and no cleanup calls it uncancelled', () => {
    const kept = { jobId: 'sjob1', transcript, storeError: 'AccessDenied' };
    const failure = unstoredSuccessFailure(kept);
    assert.equal(failure.type, FailureType.TranscriptionResultUnavailable);
    assert.match(failure.message, /sjob1 succeeded .*AccessDenied.*cos:\/\/b-1\/asr\/a\.txt/);
    assert.deepEqual(failure.details, [{ jobId: 'sjob1', keptResult: kept }]);
    const report = {
      cancelled: ['sjob0'],
      uncancelled: [
        { jobId: 'sjob1', state: 'Success' as const, reason: 'not-cancellable' },
        { jobId: 'sjob2', state: 'Running' as const, reason: 'not-cancellable' },
      ],
    };
    assert.deepEqual(withoutJob(report, 'sjob1').uncancelled, [report.uncancelled[1]]);
  });

  it('maps each final job state to its failure and keeps waiting otherwise', () => {
    const of = (snapshot: Omit<JobSnapshot, 'jobId'>) => finishedJobFailure('j', { jobId: 'j', ...snapshot });
    const failed = of({ state: 'Failed', code: 'InvalidInput', message: 'bad audio' });
    assert.equal(failed?.type, FailureType.CiJobFailed);
    assert.equal(failed?.message, 'CI job j failed: InvalidInput: bad audio');
    assert.deepEqual(failed?.details, [{ jobId: 'j', code: 'InvalidInput', message: 'bad audio' }]);
    assert.equal(of({ state: 'Cancel' })?.type, FailureType.CiJobCancelled);
    assert.equal(of({ state: 'Success' })?.type, FailureType.TranscriptionResultUnavailable);
    for (const state of ['Submitted', 'Running', 'Pause'] as const) assert.equal(of({ state }), undefined);
  });
});

describe('RunStatus', () => {
  it('goes submitting, waiting, completed and then stays completed', () => {
    const status = new RunStatus();
    assert.equal(status.phase, 'submitting');
    status.waiting();
    status.completed('callback');
    status.failed(new Error('late'));
    status.cancelling();
    assert.deepEqual(status.snapshot(), {
      phase: 'completed',
      polls: 0,
      callbacksReceived: 0,
      completedBy: 'callback',
    });
  });

  it("records the run's own failure as lastError, and a timed-out run stays timed out", () => {
    const status = new RunStatus();
    status.waiting();
    status.deadlinePassed();
    assert.equal(status.phase, 'timed-out');
    status.noteError('cancel failed');
    status.failed(deadlineFailure('j', undefined));
    assert.equal(status.phase, 'timed-out');
    assert.match(status.snapshot().lastError ?? '', /^Deadline passed before CI job j finished/);
  });

  it('sets timed-out from a submit that ran out of time, and failed from any other failure', () => {
    const submitTimeout = new RunStatus();
    submitTimeout.failed(submitDeadlineFailure('timeout'));
    assert.equal(submitTimeout.phase, 'timed-out');
    const other = new RunStatus();
    other.noteError('check failed');
    other.failed(new Error('an activity failure, already reported by its step'));
    assert.equal(other.phase, 'failed');
    assert.equal(other.snapshot().lastError, 'check failed');
  });

  it('ends a cancellation cancelled, with the note as lastError', () => {
    const status = new RunStatus({ polls: 3, callbacksReceived: 2 });
    status.carryOver(job);
    status.waiting();
    status.cancelling();
    assert.equal(status.phase, 'cancelling');
    status.cancelled('CI job cancelled');
    assert.deepEqual(status.snapshot(), {
      phase: 'cancelled',
      polls: 3,
      callbacksReceived: 2,
      jobId: 'sjob1',
      jobState: 'Submitted',
      lastError: 'CI job cancelled',
    });
  });

  it('records a kept success and takes its job out of uncancelledJobs', () => {
    const status = new RunStatus();
    status.submitted(job.jobId);
    status.cleanedUp({ cancelled: [], uncancelled: [{ jobId: 'sjob1', state: 'Success', reason: 'not-cancellable' }] });
    const kept = { jobId: 'sjob1', transcript, manifest: { ...transcript, key: 'm.json', uri: 'cos://b-1/m.json' } };
    status.keptSuccess(kept);
    assert.deepEqual(status.snapshot().keptResult, kept);
    assert.equal(status.snapshot().uncancelledJobs, undefined);
  });

  it('reports a job state as news only for a known job whose state changed', () => {
    const status = new RunStatus();
    assert.equal(status.noteJobState('Running'), undefined, 'no job yet');
    status.submitted(job.jobId);
    assert.deepEqual(status.noteJobState('Submitted'), { jobId: 'sjob1', state: 'Submitted' });
    assert.equal(status.noteJobState('Submitted'), undefined, 'unchanged');
    assert.deepEqual(status.noteJobState('Running'), { jobId: 'sjob1', state: 'Running' });
  });

  it('counts polls and callbacks, shows the next poll while waiting, and hands out copies', () => {
    const status = new RunStatus();
    status.callbackReceived();
    status.polled();
    status.nextPollAt(new Date(Date.UTC(2026, 0, 1)));
    const copy = status.snapshot();
    assert.equal(copy.nextPollAt, '2026-01-01T00:00:00.000Z');
    copy.polls = 99;
    status.nextPollAt(undefined);
    assert.deepEqual(status.snapshot(), { phase: 'submitting', polls: 1, callbacksReceived: 1, nextPollAt: undefined });
  });
});
