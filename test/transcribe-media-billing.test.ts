/**
 * No billed job left behind: the paths after a possible submit, on a real dev server with the emulator. Whatever a
 * run says about CI jobs is checked against the emulator's own record (`/_emulator/jobs`, its counters).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CleanupReport, DuplicateJob, TranscriptionResult } from '../src/contract';
import type { FaultConfig } from '../src/emulator';
import { silentWav } from '../src/emulator';
import { FailureType } from '../src/shared/failure-types';
import type { TranscribeMediaInput } from '../src';
import { transcribeMedia, transcriptionStatusQuery } from '../src/workflows';
import { assertHistoriesSafe } from './helpers/histories';
import type { TestStack } from './helpers/stack';
import { TEST_BUCKET, useStackFactory } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

interface EmulatedJob {
  jobId: string;
  state: string;
  userData?: string;
  input: { object?: string };
}

describe('transcribeMedia leaves no billed job behind', () => {
  const suite = useStackFactory({ callbacks: false });
  const { stacks, stackWith } = suite;
  const started: { stack: TestStack; workflowId: string }[] = [];

  async function start(stack: TestStack, input: Partial<TranscribeMediaInput> = {}) {
    const key = `audio/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(1));
    const workflowId = `billing-${randomUUID()}`;
    started.push({ stack, workflowId });
    const handle = await stack.client.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ media: { object: key }, recognition, ...input }],
    });
    return { handle, key };
  }

  /** The emulator's record of the jobs for one input object. */
  async function jobsFor(stack: TestStack, key: string): Promise<EmulatedJob[]> {
    const all = (await fetch(`${stack.emulator.url}/_emulator/jobs`).then((r) => r.json())) as EmulatedJob[];
    return all.filter((job) => job.input.object === key);
  }

  async function manifestOf(stack: TestStack, result: TranscriptionResult) {
    const { bucket, key } = result.manifestObject;
    const body = await stack.clients.objects.get({ Bucket: bucket, Region: stack.region, Key: key });
    return JSON.parse(body.toString()) as { keptAtDeadline?: boolean; duplicateJobs?: DuplicateJob[]; jobId: string };
  }

  async function failureOf(handle: WorkflowHandle<typeof transcribeMedia>): Promise<ApplicationFailure> {
    const err = await handle.result().then(
      () => assert.fail('expected the workflow to fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError, String(err));
    assert.ok(err.cause instanceof ApplicationFailure, String(err.cause));
    assert.equal(err.cause.nonRetryable, true);
    return err.cause;
  }

  function cleanupOf(failure: ApplicationFailure) {
    return failure.details?.[0] as { jobId?: string; cancelOutcome?: string; cleanup: CleanupReport };
  }

  async function memoOf(handle: WorkflowHandle<typeof transcribeMedia>) {
    return (await handle.describe()).memo as { cleanup?: CleanupReport; duplicateJobs?: DuplicateJob[] } | undefined;
  }

  async function withFaults<T>(stack: TestStack, faults: Partial<FaultConfig>, work: () => Promise<T>): Promise<T> {
    stack.emulator.setFaults(faults);
    try {
      return await work();
    } finally {
      stack.emulator.setFaults({ routes: {}, loseSubmitResponses: 0 });
    }
  }

  it('keeps a success found by the last check at the deadline, and cancels nothing', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 200 } } });
    // No callback and the first poll due long after the deadline: only the check at the deadline can see the job.
    const { handle, key } = await start(stack, { deadline: '3s', polling: { firstDelay: '1h' } });
    const result = await handle.result();
    assert.equal(result.keptAtDeadline, true);
    assert.equal(result.completedBy, 'poll');
    const manifest = await manifestOf(stack, result);
    assert.equal(manifest.keptAtDeadline, true);
    assert.equal(manifest.jobId, result.jobId);
    assert.deepEqual(
      (await jobsFor(stack, key)).map((job) => job.state),
      ['Success'],
    );
    assert.equal(stack.emulator.counters().requests['PUT /jobs/:id'] ?? 0, 0, 'no cancel was asked for');
    assert.equal((await handle.query(transcriptionStatusQuery)).phase, 'completed');
  });

  it('a workflow cancel during the check that sees Success: the result is stored and returned', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 200 } } });
    await withFaults(stack, { routes: { 'GET /asr_jobs/:ids': { latencyMs: 3_000 } } }, async () => {
      const { handle, key } = await start(stack, { deadline: '2s', polling: { firstDelay: '1h' } });
      await waitFor('the check at the deadline', async () => {
        const pending = (await handle.describe()).raw.pendingActivities ?? [];
        return pending.some((a) => a.activityType?.name === 'checkTranscriptionJob') ? true : undefined;
      });
      await handle.cancel();
      const result = await handle.result();
      assert.equal(result.keptAtDeadline, true);
      assert.equal((await manifestOf(stack, result)).jobId, result.jobId);
      assert.equal((await handle.query(transcriptionStatusQuery)).phase, 'completed');
      assert.equal((await memoOf(handle)) && 'cancellation' in ((await memoOf(handle)) ?? {}), false);
      assert.deepEqual(
        (await jobsFor(stack, key)).map((job) => job.state),
        ['Success'],
      );
    });
  });

  it('a permanent check failure after submit cancels the waiting job and says so', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 600_000, runningMs: 100 } } });
    await withFaults(stack, { routes: { 'GET /asr_jobs/:ids': { deniedShare: 1 } } }, async () => {
      const { handle, key } = await start(stack, { polling: { firstDelay: '200ms' } });
      const failure = await failureOf(handle);
      assert.equal(failure.type, FailureType.CiRequestRejected);
      const { jobId, cleanup } = cleanupOf(failure);
      const jobs = await jobsFor(stack, key);
      assert.deepEqual(
        jobs.map((job) => [job.jobId, job.state]),
        [[jobId, 'Cancel']],
      );
      assert.deepEqual(cleanup.cancelled, [jobId]);
      assert.deepEqual(cleanup.uncancelled, []);
      assert.deepEqual((await memoOf(handle))?.cleanup?.cancelled, [jobId]);
    });
  });

  it('a permanent check failure while the job runs records the job CI would not cancel, everywhere', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 600_000 } } });
    await withFaults(stack, { routes: { 'GET /asr_jobs/:ids': { deniedShare: 1 } } }, async () => {
      const { handle, key } = await start(stack, { polling: { firstDelay: '300ms' } });
      const failure = await failureOf(handle);
      const { jobId } = cleanupOf(failure);
      // CI refuses the cancel; the client's follow-up `get` (to learn why) is denied too, and that is the reason given.
      const [left] = (failure.details?.[0] as { uncancelledJobs: CleanupReport['uncancelled'] }).uncancelledJobs;
      assert.deepEqual([left?.jobId, left?.state], [jobId, 'Running']);
      assert.match(left?.reason ?? '', /AccessDenied/);
      assert.match(failure.message, new RegExp(`CI would not cancel ${jobId} \\(Running\\)`));
      assert.deepEqual((await handle.query(transcriptionStatusQuery)).uncancelledJobs, [left]);
      assert.deepEqual((await memoOf(handle))?.cleanup?.uncancelled, [left]);
      assert.deepEqual(
        (await jobsFor(stack, key)).map((job) => [job.jobId, job.state]),
        [[jobId, 'Running']],
      );
    });
  });

  it('a lost submit response followed by a list error ends the run and records the tag it could not look up', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 100 } } });
    await withFaults(stack, { loseSubmitResponses: 1, routes: { 'GET /asr_jobs': { deniedShare: 1 } } }, async () => {
      const { handle, key } = await start(stack);
      const failure = await failureOf(handle);
      assert.equal(failure.type, FailureType.CiRequestRejected);
      const { cleanup } = cleanupOf(failure);
      assert.match(cleanup.lookupError ?? '', /AccessDenied|Access Denied/);
      assert.match(failure.message, /could not be looked up.*CI may hold one/);
      assert.equal((await handle.query(transcriptionStatusQuery)).cleanupError, cleanup.lookupError);
      assert.equal((await memoOf(handle))?.cleanup?.tag, cleanup.tag);
      const jobs = await jobsFor(stack, key);
      assert.equal(jobs.length, 1, 'the lost response committed one job');
      assert.equal(jobs[0]?.userData, cleanup.tag, 'the recorded tag is the job’s');
      assert.equal(stack.emulator.counters().requests['POST /asr_jobs'], 1);
    });
  });

  it('a submit that times out after a lost response reports unknown and cancels the job the cleanup finds', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 600_000, runningMs: 100 } } });
    // Every lookup outlives its attempt, so the submit runs out of time; the test lets the cleanup's lookups through.
    stack.emulator.setFaults({ loseSubmitResponses: 1, routes: { 'GET /asr_jobs': { latencyMs: 5_000 } } });
    try {
      const { handle, key } = await start(stack, { deadline: '6s', activityAttemptTimeout: '2s' });
      await waitFor(
        'the cleanup',
        async () => {
          const pending = (await handle.describe()).raw.pendingActivities ?? [];
          return pending.some((a) => a.activityType?.name === 'cleanUpStepJobs') ? true : undefined;
        },
        30_000,
      );
      stack.emulator.setFaults({ routes: {} });
      const failure = await failureOf(handle);
      assert.equal(failure.type, FailureType.TranscriptionTimedOut);
      const { cancelOutcome, cleanup } = cleanupOf(failure);
      assert.equal(cancelOutcome, 'unknown');
      const jobs = await jobsFor(stack, key);
      assert.equal(jobs.length, 1);
      assert.deepEqual(cleanup.cancelled, [jobs[0]?.jobId]);
      assert.equal(jobs[0]?.state, 'Cancel');
    } finally {
      stack.emulator.setFaults({ routes: {}, loseSubmitResponses: 0 });
    }
  });

  it('a duplicate CI refuses to cancel is recorded in the result, the manifest, the status and the memo', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 150 } } });
    // CI commits each submit 5 s after it arrives; attempts give up after 1 s, so a retry submits again before
    // the first job exists, and that job has started (queue time 0) by the time a sweep finds it.
    const result = await withFaults(stack, { routes: { 'POST /asr_jobs': { latencyMs: 5_000 } } }, async () => {
      const { handle, key } = await start(stack, { activityAttemptTimeout: '3s', polling: { firstDelay: '200ms' } });
      const value = await handle.result();
      return { value, key, handle };
    });
    const { value, key, handle } = result;
    const jobs = await jobsFor(stack, key);
    const duplicates = value.duplicateJobs ?? [];
    assert.ok(duplicates.length >= 1, 'at least one duplicate was made');
    assert.equal(jobs.length, 1 + duplicates.length, 'every extra job CI holds is recorded');
    for (const duplicate of duplicates) {
      assert.equal(duplicate.cancel, 'not-cancellable');
      assert.notEqual(jobs.find((job) => job.jobId === duplicate.jobId)?.state, 'Cancel');
    }
    assert.deepEqual(jobs.map((job) => job.jobId).sort(), [value.jobId, ...duplicates.map((d) => d.jobId)].sort());
    assert.deepEqual((await manifestOf(stack, value)).duplicateJobs, duplicates);
    assert.deepEqual((await handle.query(transcriptionStatusQuery)).duplicateJobs, duplicates);
    assert.deepEqual((await memoOf(handle))?.duplicateJobs, duplicates);
  });

  it('keeps secrets out of these histories, and they replay', async () => {
    for (const stack of stacks) {
      const ids = started.filter((s) => s.stack === stack).map((s) => s.workflowId);
      const { secretKey, callbackSecret } = stack.secrets;
      await assertHistoriesSafe(stack.client, ids, [secretKey, callbackSecret], suite.bundle);
    }
  });
});
