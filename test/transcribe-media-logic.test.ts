import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { buildSubmitRequest, placeJob } from '../src/activities/submit/request';
import { toActivityFailure } from '../src/activities/failures';
import { jobTagFor } from '../src/activities/submit/tag';
import { countSegments } from '../src/activities/manifest';
import { CiError, CiValidationError } from '../src/ci/errors';
import { submitRequestIssues } from '../src/ci/validate';
import { FailureType } from '../src/shared/failure-types';
import type { PollSchedule } from '../src/workflows/transcribe-media/backoff';
import { DEFAULT_POLL_SCHEDULE, pollDelayMs, pollsForJobDuration } from '../src/workflows/transcribe-media/backoff';
import type { SubmittedJob } from '../src/contract';
import { continuationOf } from '../src/workflows/transcribe-media/continuation';
import { actionForJobState, CallbackInbox } from '../src/workflows/transcribe-media/decide';
import { resolveTranscribeMediaInput } from '../src/workflows/transcribe-media/input';

const schedule = fc.record<PollSchedule>({
  firstDelayMs: fc.integer({ min: 1, max: 60_000 }),
  multiplier: fc.double({ min: 1, max: 4, noNaN: true }),
  maxIntervalMs: fc.integer({ min: 60_000, max: 3_600_000 }),
  jitter: fc.double({ min: 0, max: 1, noNaN: true }),
});

describe('poll backoff', () => {
  it('never exceeds the maximum interval, never goes below the jittered floor, and never shrinks without jitter', () => {
    fc.assert(
      fc.property(schedule, fc.nat(60), fc.double({ min: 0, max: 0.999, noNaN: true }), (s, n, r) => {
        const delay = pollDelayMs(s, n, r);
        const nominal = Math.min(s.firstDelayMs * s.multiplier ** n, s.maxIntervalMs);
        assert.ok(delay <= Math.round(nominal) + 1 && delay >= Math.floor(nominal * (1 - s.jitter)) - 1);
        const noJitter = { ...s, jitter: 0 };
        assert.ok(pollDelayMs(noJitter, n + 1, 0) >= pollDelayMs(noJitter, n, 0));
      }),
    );
  });

  it('costs 6 polls for a 10-minute job with the defaults, against 60 for a fixed 10 s poll', () => {
    const delays = Array.from({ length: 7 }, (_, i) => pollDelayMs({ ...DEFAULT_POLL_SCHEDULE, jitter: 0 }, i, 0));
    assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    assert.ok(pollsForJobDuration(DEFAULT_POLL_SCHEDULE, 10 * 60_000) <= 7);
    assert.equal(
      pollsForJobDuration({ firstDelayMs: 10_000, multiplier: 1, maxIntervalMs: 10_000, jitter: 0 }, 600_000),
      60,
    );
  });
});

describe('job state decisions and the callback inbox', () => {
  it('maps every CI state to one action', () => {
    assert.equal(actionForJobState('Success'), 'store-result');
    assert.equal(actionForJobState('Failed'), 'fail');
    assert.equal(actionForJobState('Cancel'), 'report-cancelled');
    for (const state of ['Submitted', 'Running', 'Pause'] as const)
      assert.equal(actionForJobState(state), 'keep-waiting');
  });

  it('keeps early callbacks until the job id is known and collapses duplicates', () => {
    const inbox = new CallbackInbox(3);
    const signal = (jobId: string) => ({ jobId, state: 'Success' as const, receivedAt: '2026-01-01T00:00:00Z' });
    inbox.add(signal('s1'));
    inbox.add(signal('other'));
    inbox.add(signal('s1'));
    assert.equal(inbox.count, 3);
    assert.equal(inbox.hasFor(undefined), false);
    assert.equal(inbox.hasFor('s1'), true);
    assert.equal(inbox.takeFor('s1').length, 2);
    assert.equal(inbox.hasFor('s1'), false);
    assert.equal(inbox.hasFor('other'), false, 'callbacks for other jobs are dropped once the job is known');
  });

  it('bounds the inbox', () => {
    const inbox = new CallbackInbox(2);
    for (let i = 0; i < 10; i += 1) inbox.add({ jobId: `s${i}`, state: 'Running', receivedAt: '' });
    assert.equal(inbox.count, 10);
    assert.equal(inbox.pendingFor('s0').length, 0);
    assert.equal(inbox.pendingFor('s9').length, 1);
  });
});

describe('continue-as-new', () => {
  it('carries the last seen job state, the counters and whether callbacks still wake the run', () => {
    const job = { jobId: 'j', state: 'Submitted', tag: 't' } as SubmittedJob;
    const carried = { deadlineAt: 5, workflowStartedAt: '2026-12-01T00:00:00.000Z', listenForCallbacks: false };
    const next = continuationOf(job, { jobState: 'Running', polls: 3, callbacksReceived: 7 }, [], carried);
    assert.deepEqual(next, {
      job: { jobId: 'j', state: 'Running', tag: 't' },
      polls: 3,
      callbacksReceived: 7,
      pendingCallbacks: [],
      ...carried,
    });
    const unseen = continuationOf(job, { jobState: undefined, polls: 0, callbacksReceived: 0 }, [], carried);
    assert.equal(unseen.job.state, 'Submitted');
  });
});

describe('transcribeMedia input', () => {
  const recognition = { speechRecognition: { EngineModelType: '16k_zh' as const, ChannelNum: 1 as const } };

  it('fills defaults', () => {
    const resolved = resolveTranscribeMediaInput({ media: { object: '/in/a.wav' }, recognition });
    assert.ok(resolved.ok);
    assert.equal(resolved.value.output.key, 'asr/in/a.wav.txt');
    assert.equal(resolved.value.manifestKey, 'asr/in/a.wav.txt.manifest.json');
    assert.deepEqual(resolved.value.callback, { enabled: true, format: 'XML' });
    assert.deepEqual(resolved.value.polling, DEFAULT_POLL_SCHEDULE);
    assert.equal(resolved.value.deadlineMs, 6 * 3_600_000);
  });

  it('names srt outputs .srt and lets a long first delay raise the cap', () => {
    const resolved = resolveTranscribeMediaInput({
      media: { object: 'a.wav' },
      recognition: { speechRecognition: { ...recognition.speechRecognition, OutputFileType: 'srt' } },
      polling: { firstDelay: '1 hour' },
    });
    assert.ok(resolved.ok);
    assert.equal(resolved.value.output.key, 'asr/a.wav.srt');
    assert.equal(resolved.value.polling.maxIntervalMs, 3_600_000);
  });

  it('reports every problem at once', () => {
    const badSettings = {
      recognition,
      jobLevel: 7 as never,
      callback: { format: 'YAML' as never },
      polling: { multiplier: 0.5, jitter: 2 },
      deadline: -5,
    };
    const resolved = resolveTranscribeMediaInput({ media: { url: 'ftp://x' }, ...badSettings });
    assert.ok(!resolved.ok);
    assert.equal(resolved.problems.length, 1, 'structural problems stop the check');
    const second = resolveTranscribeMediaInput({ media: { url: 'https://x/a.mp3' }, ...badSettings });
    assert.ok(!second.ok);
    for (const fragment of ['output.key', 'jobLevel', 'callback.format', 'multiplier', 'jitter', 'deadline']) {
      assert.ok(
        second.problems.some((p) => p.includes(fragment)),
        `no problem mentions ${fragment}`,
      );
    }
  });

  it('rejects both or neither of object and url, template and parameters', () => {
    for (const input of [
      { media: { object: 'a', url: 'https://x' }, recognition },
      { media: {}, recognition },
      { media: { object: 'a' }, recognition: { templateId: 't1', speechRecognition: recognition.speechRecognition } },
      { media: { object: 'a' }, recognition: {} },
    ]) {
      assert.equal(resolveTranscribeMediaInput(input).ok, false, JSON.stringify(input));
    }
  });
});

describe('submit request building', () => {
  const defaults = { bucket: 'media-1250000000', region: 'ap-guangzhou', queueId: 'pqueue' };

  it('builds a valid CI request with tag, callback and defaults', () => {
    const resolved = resolveTranscribeMediaInput({
      media: { object: 'a.wav' },
      recognition: { templateId: 't1abc' },
      jobLevel: 2,
    });
    assert.ok(resolved.ok);
    const placement = placeJob(resolved.value, defaults);
    const request = buildSubmitRequest(resolved.value, placement, defaults, 'tag', 'https://cb/x');
    assert.deepEqual(submitRequestIssues(request), []);
    assert.deepEqual(request.Input, { Object: 'a.wav' });
    assert.equal(request.QueueId, 'pqueue');
    assert.equal(request.CallBack, 'https://cb/x');
    assert.equal(request.Operation.UserData, 'tag');
    assert.equal(request.Operation.TemplateId, 't1abc');
    assert.equal(placement.output.uri, 'cos://media-1250000000/asr/a.wav.txt');
  });

  it('tags jobs with a fixed-length printable hash per namespace, workflow, run and step', () => {
    const run = (workflowId: string) => ({ namespace: 'default', workflowId, runId: 'r1' });
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const tag = jobTagFor(run(a), 'transcribe');
        assert.match(tag, /^temporal-asr:v1:[0-9a-f]{40}$/);
        if (a !== b) assert.notEqual(tag, jobTagFor(run(b), 'transcribe'));
      }),
    );
    const base = { namespace: 'ns', workflowId: 'w', runId: 'r1' };
    assert.notEqual(jobTagFor(base, 's'), jobTagFor({ ...base, namespace: 'ns2' }, 's'));
    assert.notEqual(jobTagFor(base, 's'), jobTagFor({ ...base, runId: 'r2' }, 's'), 'a new execution gets its own job');
    assert.notEqual(jobTagFor(base, 's1'), jobTagFor(base, 's2'));
  });

  it('counts segments from sentence details, else from result lines', () => {
    const base = { AudioTime: 1, Result: '', ResultDetail: [] };
    assert.equal(countSegments({ ...base, Result: '[0:0.000,0:1.000] a\n[0:1.000,0:2.000] b\n' }), 2);
    assert.equal(countSegments({ ...base, Result: '[0:0.000,0:1.000] a\\n[0:1.000,0:2.000] b' }), 2);
    assert.equal(
      countSegments({ ...base, ResultDetail: [{ FinalSentence: 'x', StartMs: 0, EndMs: 1, Words: [] }] }),
      1,
    );
  });
});

describe('failure sorting at the activity boundary', () => {
  const ciError = (retryable: boolean) =>
    new CiError({
      action: 'submit',
      target: 't',
      code: retryable ? 'InternalError' : 'InvalidArgument',
      statusCode: retryable ? 500 : 400,
      requestId: 'r1',
      retryable,
      outcomeUnknown: retryable,
    });

  it('makes permanent CI errors and invalid input non-retryable with stable types and details', () => {
    const rejected = toActivityFailure(ciError(false));
    assert.ok(rejected instanceof ApplicationFailure);
    assert.equal(rejected.type, FailureType.CiRequestRejected);
    assert.equal(rejected.nonRetryable, true);
    assert.deepEqual(rejected.details?.[0], {
      code: 'InvalidArgument',
      statusCode: 400,
      requestId: 'r1',
      action: 'submit',
    });
    const invalid = toActivityFailure(new CiValidationError('x', [{ path: 'a', message: 'b' }]));
    assert.ok(
      invalid instanceof ApplicationFailure &&
        invalid.type === FailureType.InvalidTranscriptionInput &&
        invalid.nonRetryable,
    );
  });

  it('leaves transient errors and unknown outcomes retryable, without the raw SDK error as cause', () => {
    const raw = new Error('raw SDK error that might echo a credential');
    const transient = new CiError({
      action: 'get',
      target: 't',
      code: 'SlowDown',
      statusCode: 503,
      retryable: true,
      outcomeUnknown: false,
      cause: raw,
    });
    const unknown = new CiError({
      action: 'submit',
      target: 't',
      code: 'MalformedResponse',
      statusCode: 200,
      retryable: false,
      outcomeUnknown: true,
      cause: raw,
    });
    for (const err of [transient, unknown]) {
      const failure = toActivityFailure(err);
      assert.ok(failure instanceof ApplicationFailure);
      assert.equal(failure.type, FailureType.CiTransientError);
      assert.equal(failure.nonRetryable, false);
      assert.equal(failure.cause, undefined);
    }
    assert.ok(toActivityFailure('boom') instanceof Error);
  });
});
