/**
 * Issue 25's second round of money paths, on a real dev server with the emulator: a `Success` CI reports after the run
 * stopped waiting is kept (on a workflow cancel, at the deadline while manifest writes fail), and the cleanup after a
 * submit that never answered looks for the tag the submitting run gave its job (after a reset that is not the chain's
 * first run). Claims are checked against the emulator's own record (its jobs, its object store).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { jobTagFor } from '../src/activities/submit/tag';
import type { CleanupReport, ObjectLocation } from '../src/contract';
import { silentWav } from '../src/emulator';
import { bundleTranscriptionWorkflows } from '../src/worker-setup/transcription-worker';
import type { TranscribeMediaInput } from '../src';
import { transcribeMedia, transcriptionStatusQuery } from '../src/workflows';
import { assertHistoriesSafe } from './helpers/histories';
import type { StackOptions, TestStack } from './helpers/stack';
import { startStack, TEST_BUCKET } from './helpers/stack';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

const speechRecognition = { EngineModelType: '16k_zh', ChannelNum: 1 } as const;

interface EmulatedJob {
  jobId: string;
  state: string;
  userData?: string;
}

/** What the run keeps of a success it found after it stopped waiting (memo `keptResult`, status `keptResult`). */
interface Kept {
  jobId: string;
  transcript: ObjectLocation;
  manifest?: ObjectLocation;
  storeError?: string;
}

interface KeptMemo {
  keptResult?: Kept;
  cancellation?: { ciCancelOutcome: string; note: string };
  cleanup?: CleanupReport;
}

describe('transcribeMedia keeps a paid success on cancel and at the deadline; the cleanup finds the real tag', () => {
  let temporal: TemporalTestServer;
  let bundle: { code: string };
  const stacks: TestStack[] = [];
  const started: { stack: TestStack; workflowId: string }[] = [];

  before(async () => {
    temporal = await startTemporalForTests();
    bundle = await bundleTranscriptionWorkflows();
  });
  after(async () => {
    for (const stack of stacks) await stack.stop();
    await temporal?.teardown();
  });

  async function stackWith(options: Partial<StackOptions>): Promise<TestStack> {
    const stack = await startStack(temporal, { workflowBundle: bundle, callbacks: false, ...options });
    stacks.push(stack);
    return stack;
  }

  async function start(stack: TestStack, input: Partial<TranscribeMediaInput> = {}) {
    const key = `audio/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(1));
    const workflowId = `kept-${randomUUID()}`;
    started.push({ stack, workflowId });
    const handle = await stack.client.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ media: { object: key }, recognition: { speechRecognition }, ...input }],
    });
    return { handle, key };
  }

  async function emulatedJobs(stack: TestStack): Promise<EmulatedJob[]> {
    return (await fetch(`${stack.emulator.url}/_emulator/jobs`).then((r) => r.json())) as EmulatedJob[];
  }

  async function rejection(handle: WorkflowHandle<typeof transcribeMedia>): Promise<unknown> {
    const err = await handle.result().then(
      () => assert.fail('expected the workflow to end without a result'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError, String(err));
    return err.cause;
  }

  /** The manifest the emulator's object store holds at `key`, parsed (undefined when there is none). */
  async function manifestAt(stack: TestStack, key: string): Promise<{ jobId: string } | undefined> {
    const body = await stack.clients.objects
      .get({ Bucket: TEST_BUCKET, Region: stack.region, Key: key })
      .catch(() => undefined);
    return body ? (JSON.parse(body.toString()) as { jobId: string }) : undefined;
  }

  /** Activities of the run still pending (retrying), by type; throws once the run has closed. */
  async function pending(handle: WorkflowHandle<typeof transcribeMedia>, type: string) {
    const { status, raw } = await handle.describe();
    if (status.name !== 'RUNNING') throw new Error(`the run ended ${status.name} first`);
    return (raw.pendingActivities ?? []).find((a) => a.activityType?.name === type);
  }

  async function scheduledTypes(handle: WorkflowHandle<typeof transcribeMedia>): Promise<string[]> {
    const events = (await handle.fetchHistory()).events ?? [];
    return events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
  }

  it('a workflow cancel after CI finished stores the result and records where (memo, status, manifest)', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 100 } } });
    const { handle } = await start(stack, { polling: { firstDelay: '1h' } });
    const jobId = await waitFor('a job id', async () => (await handle.query(transcriptionStatusQuery)).jobId);
    await waitFor('CI to finish the job', async () =>
      (await emulatedJobs(stack)).some((job) => job.jobId === jobId && job.state === 'Success') ? true : undefined,
    );
    await handle.cancel();
    assert.ok((await rejection(handle)) instanceof CancelledFailure, 'the run still ends cancelled');
    const memo = (await handle.describe()).memo as KeptMemo;
    assert.equal(memo.keptResult?.jobId, jobId);
    assert.equal(memo.keptResult?.storeError, undefined);
    const manifestKey = memo.keptResult?.manifest?.key ?? assert.fail('the memo names the manifest');
    assert.equal((await manifestAt(stack, manifestKey))?.jobId, jobId, 'the manifest is in the object store');
    assert.match(memo.keptResult?.transcript.uri ?? '', /^cos:\/\//);
    assert.match(memo.cancellation?.note ?? '', /succeeded/);
    assert.deepEqual(memo.cleanup?.uncancelled ?? [], [], 'the kept job is not called uncancelled');
    const status = await handle.query(transcriptionStatusQuery);
    assert.equal(status.phase, 'cancelled');
    assert.deepEqual(status.keptResult, memo.keptResult);
    assert.equal(status.uncancelledJobs, undefined);
  });

  it('at the deadline, manifest writes that fail past the check and then recover: the result is stored', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 100 } } });
    stack.emulator.setFaults({ routes: { 'PUT object': { serverErrorShare: 1 } } });
    try {
      const { handle } = await start(stack, { deadline: '3s', polling: { firstDelay: '1h' } });
      // The check at the deadline spends its whole budget on failed writes; the run then learns from CI that the job
      // succeeded and stores it on a budget of its own. Writes recover once that store has failed once.
      await waitFor(
        'the store after the deadline to fail once',
        async () => {
          const store = await pending(handle, 'checkTranscriptionJob');
          const types = await scheduledTypes(handle);
          const afterCleanup = types.lastIndexOf('checkTranscriptionJob') > types.indexOf('cleanUpStepJobs');
          return types.includes('cleanUpStepJobs') && afterCleanup && (store?.attempt ?? 0) >= 2 ? true : undefined;
        },
        400_000,
      );
      stack.emulator.setFaults({ routes: {} });
      const result = await handle.result();
      assert.equal(result.keptAtDeadline, true);
      assert.equal((await manifestAt(stack, result.manifestObject.key))?.jobId, result.jobId);
      const memo = (await handle.describe()).memo as KeptMemo;
      assert.equal(memo.keptResult?.manifest?.key, result.manifestObject.key);
      assert.deepEqual(memo.cleanup?.uncancelled ?? [], []);
      assert.equal((await handle.query(transcriptionStatusQuery)).phase, 'completed');
    } finally {
      stack.emulator.setFaults({ routes: {} });
    }
  });

  it('at the deadline, a manifest write refused for good: the failure records the success and the transcript', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 100 } } });
    stack.emulator.setFaults({ routes: { 'PUT object': { deniedShare: 1 } } });
    try {
      const { handle } = await start(stack, { deadline: '3s', polling: { firstDelay: '1h' } });
      const failure = await rejection(handle);
      assert.ok(failure instanceof ApplicationFailure, String(failure));
      const jobId = (await handle.query(transcriptionStatusQuery)).jobId ?? assert.fail('a job id');
      assert.doesNotMatch(failure.message, /would not cancel|may bill|uncancel/);
      assert.match(failure.message, new RegExp(`${jobId} succeeded`));
      const details = failure.details?.[0] as { jobId: string; keptResult?: Kept; uncancelledJobs?: unknown[] };
      assert.equal(details.jobId, jobId);
      assert.deepEqual(details.uncancelledJobs ?? [], []);
      const transcript = details.keptResult?.transcript ?? assert.fail('the failure names the transcript');
      const body = await stack.clients.objects.get({ Bucket: TEST_BUCKET, Region: stack.region, Key: transcript.key });
      assert.ok(body.length > 0, 'the transcript the failure names is where it says');
      assert.match(details.keptResult?.storeError ?? '', /denied/i);
      const memo = (await handle.describe()).memo as KeptMemo;
      assert.deepEqual(memo.keptResult, details.keptResult);
      const status = await handle.query(transcriptionStatusQuery);
      assert.deepEqual(status.keptResult, details.keptResult);
      assert.equal(status.uncancelledJobs, undefined);
    } finally {
      stack.emulator.setFaults({ routes: {} });
    }
  });

  it('a check whose manifest write is refused for good: the failure records the success, not an uncancelled job', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 100 } } });
    stack.emulator.setFaults({ routes: { 'PUT object': { deniedShare: 1 } } });
    try {
      const { handle } = await start(stack, { polling: { firstDelay: '1s' } });
      const failure = await rejection(handle);
      assert.ok(failure instanceof ApplicationFailure, String(failure));
      const jobId = (await handle.query(transcriptionStatusQuery)).jobId ?? assert.fail('a job id');
      assert.equal(failure.type, 'TranscriptionResultUnavailable');
      assert.doesNotMatch(failure.message, /would not cancel|may bill|uncancel/);
      const details = failure.details?.[0] as { keptResult?: Kept; uncancelledJobs?: unknown[] };
      assert.equal(details.keptResult?.jobId, jobId);
      assert.deepEqual(details.uncancelledJobs ?? [], []);
      const status = await handle.query(transcriptionStatusQuery);
      assert.equal(status.phase, 'failed');
      assert.equal(status.keptResult?.transcript.uri, details.keptResult?.transcript.uri);
    } finally {
      stack.emulator.setFaults({ routes: {} });
    }
  });

  it('after a reset, the cleanup of a submit that never answered looks for the submitting run’s tag', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 600_000, runningMs: 100 } } });
    // Every submit is refused (so no submit answers) and every listing fails until the test lets the cleanup look.
    stack.emulator.setFaults({
      routes: { 'POST /asr_jobs': { deniedShare: 1 }, 'GET /asr_jobs': { serverErrorShare: 1 } },
    });
    try {
      const { handle, key } = await start(stack);
      await waitFor('the first run to clean up', async () =>
        (await pending(handle, 'cleanUpStepJobs')) ? true : undefined,
      );
      const events = (await handle.fetchHistory()).events ?? [];
      const firstTask = events.find((e) => e.workflowTaskCompletedEventAttributes)?.eventId;
      const { namespace } = stack.client.options;
      const { runId } = await stack.client.workflowService.resetWorkflowExecution({
        namespace,
        workflowExecution: { workflowId: handle.workflowId, runId: (await handle.describe()).runId },
        reason: 'test: a reset before the submit',
        workflowTaskFinishEventId: firstTask,
        requestId: randomUUID(),
      });
      const reset = stack.client.workflow.getHandle<typeof transcribeMedia>(handle.workflowId, runId ?? undefined);
      const { raw } = await reset.describe();
      assert.notEqual(raw.workflowExecutionInfo?.firstRunId, runId, 'the reset run is not the chain’s first');
      await waitFor('the reset run to clean up', async () =>
        (await pending(reset, 'cleanUpStepJobs')) ? true : undefined,
      );
      // A job the reset run's submit created without answering: tagged as that run tags (its own run id).
      const tag = jobTagFor({ namespace, workflowId: handle.workflowId, runId }, 'transcribe');
      stack.emulator.setFaults({ routes: { 'GET /asr_jobs': { serverErrorShare: 1 } } });
      const output = { Region: stack.region, Bucket: TEST_BUCKET, Object: `out/${randomUUID()}.txt` };
      const { JobId: orphan } = await stack.clients.ci.submit({
        Input: { Object: key },
        Operation: { SpeechRecognition: speechRecognition, Output: output, UserData: tag },
      });
      stack.emulator.setFaults({ routes: {} });
      const failure = await rejection(reset);
      assert.ok(failure instanceof ApplicationFailure, String(failure));
      const details = failure.details?.[0] as { cleanup?: CleanupReport };
      assert.equal(details.cleanup?.tag, tag);
      assert.deepEqual(details.cleanup?.cancelled, [orphan]);
      const jobs = (await emulatedJobs(stack)).filter((job) => job.userData === tag);
      assert.deepEqual(
        jobs.map((job) => [job.jobId, job.state]),
        [[orphan, 'Cancel']],
      );
    } finally {
      stack.emulator.setFaults({ routes: {} });
    }
  });

  it('keeps secrets out of these histories, and they replay', async () => {
    for (const stack of stacks) {
      const ids = started.filter((s) => s.stack === stack).map((s) => s.workflowId);
      const { secretKey, callbackSecret } = stack.secrets;
      await assertHistoriesSafe(stack.client, ids, [secretKey, callbackSecret], bundle);
    }
  });
});
