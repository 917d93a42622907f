/**
 * The money paths issue 12's chaos run found or review asked for, on a real dev server with the emulator: a run whose
 * first task comes after its deadline, a check at the deadline that meets transient failures, and a workflow cancel
 * that must sweep a late duplicate the run never saw. Claims are checked against the emulator's own record.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { jobTagFor } from '../src/activities/submit/tag';
import type { CleanupReport } from '../src/contract';
import { silentWav } from '../src/emulator';
import { FailureType } from '../src/shared/failure-types';
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

interface CancelMemo {
  cancellation?: { ciCancelOutcome: string; note: string };
  cleanup?: CleanupReport;
}

describe('transcribeMedia money paths: late start, the check at the deadline, cancel sweeps', () => {
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

  async function start(stack: TestStack, input: Partial<TranscribeMediaInput> = {}, startDelay?: string) {
    const key = `audio/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(1));
    const workflowId = `money-${randomUUID()}`;
    started.push({ stack, workflowId });
    const handle = await stack.client.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ media: { object: key }, recognition: { speechRecognition }, ...input }],
      ...(startDelay ? { startDelay } : {}),
    });
    return { handle, key };
  }

  async function jobsTagged(stack: TestStack, tag: string): Promise<EmulatedJob[]> {
    const all = (await fetch(`${stack.emulator.url}/_emulator/jobs`).then((r) => r.json())) as EmulatedJob[];
    return all.filter((job) => job.userData === tag);
  }

  async function rejection(handle: WorkflowHandle<typeof transcribeMedia>): Promise<unknown> {
    const err = await handle.result().then(
      () => assert.fail('expected the workflow to end without a result'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError, String(err));
    return err.cause;
  }

  /** The tag the run's submit gave its job (the first run's id, as the activity derives it). */
  async function tagOf(stack: TestStack, handle: WorkflowHandle<typeof transcribeMedia>): Promise<string> {
    const { runId, raw } = await handle.describe();
    const { namespace } = stack.client.options;
    const firstRunId = raw.workflowExecutionInfo?.firstRunId || runId;
    return jobTagFor({ namespace, workflowId: handle.workflowId, runId: firstRunId }, 'transcribe');
  }

  /** A late duplicate: a job with the run's tag that CI committed after the run's last sweep looked. */
  async function lateDuplicate(stack: TestStack, key: string, tag: string): Promise<string> {
    const output = { Region: stack.region, Bucket: TEST_BUCKET, Object: `out/${randomUUID()}.txt` };
    const job = await stack.clients.ci.submit({
      Input: { Object: key },
      Operation: { SpeechRecognition: speechRecognition, Output: output, UserData: tag },
    });
    return job.JobId;
  }

  it('a run whose first task comes after its deadline fails without submitting anything', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 100 } } });
    // The first workflow task is held back past the deadline, as a worker outage or a server restart would.
    const { handle } = await start(stack, { deadline: '1s' }, '3s');
    const failure = await rejection(handle);
    assert.ok(failure instanceof ApplicationFailure, String(failure));
    assert.equal(failure.type, FailureType.TranscriptionTimedOut);
    assert.equal(failure.nonRetryable, true);
    assert.match(failure.message, /before the run could submit.*nothing was submitted/);
    const details = failure.details?.[0] as { cancelOutcome: string; lateByMs: number };
    assert.equal(details.cancelOutcome, 'never-submitted');
    assert.ok(details.lateByMs >= 1_000, `late by ${details.lateByMs} ms`);
    assert.equal(stack.emulator.counters().requests['POST /asr_jobs'] ?? 0, 0, 'no job was submitted');
    const history = await handle.fetchHistory();
    const scheduled = (history.events ?? []).filter((event) => event.activityTaskScheduledEventAttributes);
    assert.deepEqual(scheduled, [], 'no activity ran: no submit, and no cleanup for a job that cannot exist');
    assert.equal((await handle.query(transcriptionStatusQuery)).phase, 'timed-out');
  });

  it('the check at the deadline keeps the result through a spell of CI errors', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 200 } } });
    // Every job read fails until the check at the deadline has failed twice; only that check can see the job.
    stack.emulator.setFaults({ routes: { 'GET /asr_jobs/:ids': { serverErrorShare: 1 } } });
    try {
      const { handle } = await start(stack, { deadline: '2s', polling: { firstDelay: '1h' } });
      await waitFor(
        'the check at the deadline to fail twice',
        async () => {
          const pending = (await handle.describe()).raw.pendingActivities ?? [];
          const check = pending.find((a) => a.activityType?.name === 'checkTranscriptionJob');
          return (check?.attempt ?? 0) >= 3 ? true : undefined;
        },
        30_000,
      );
      stack.emulator.setFaults({ routes: {} });
      const result = await handle.result();
      assert.equal(result.keptAtDeadline, true);
      const tag = await tagOf(stack, handle);
      assert.deepEqual(
        (await jobsTagged(stack, tag)).map((job) => [job.jobId, job.state]),
        [[result.jobId, 'Success']],
      );
      assert.ok((stack.emulator.counters().faultsInjected['GET /asr_jobs/:ids:5xx'] ?? 0) >= 2);
      assert.equal(stack.emulator.counters().requests['PUT /jobs/:id'] ?? 0, 0, 'nothing was cancelled');
    } finally {
      stack.emulator.setFaults({ routes: {} });
    }
  });

  async function cancelWithLateDuplicate(stack: TestStack) {
    const { handle, key } = await start(stack, { polling: { firstDelay: '1h' } });
    const jobId = await waitFor('a job id', async () => (await handle.query(transcriptionStatusQuery)).jobId);
    const tag = await tagOf(stack, handle);
    const duplicate = await lateDuplicate(stack, key, tag);
    await handle.cancel();
    assert.ok((await rejection(handle)) instanceof CancelledFailure);
    const memo = (await handle.describe()).memo as CancelMemo;
    return { handle, jobId, tag, duplicate, memo };
  }

  it('a workflow cancel cancels the known job and sweeps a late duplicate by tag', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 600_000, runningMs: 100 } } });
    const { jobId, tag, duplicate, memo } = await cancelWithLateDuplicate(stack);
    assert.equal(memo.cancellation?.ciCancelOutcome, 'cancelled');
    assert.deepEqual(memo.cleanup?.cancelled, [duplicate]);
    assert.deepEqual(memo.cleanup?.uncancelled, []);
    assert.deepEqual(
      (await jobsTagged(stack, tag)).map((job) => [job.jobId, job.state]).sort(),
      [
        [jobId, 'Cancel'],
        [duplicate, 'Cancel'],
      ].sort(),
    );
  });

  it('a workflow cancel records every job of the step CI would not cancel', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 600_000 } } });
    const { handle, jobId, tag, duplicate, memo } = await cancelWithLateDuplicate(stack);
    assert.equal(memo.cancellation?.ciCancelOutcome, 'not-cancellable');
    assert.match(memo.cancellation?.note ?? '', /CI would not cancel .*it may bill them/);
    const left = (memo.cleanup?.uncancelled ?? []).map((job) => job.jobId).sort();
    assert.deepEqual(left, [jobId, duplicate].sort());
    const live = (await jobsTagged(stack, tag)).filter((job) => job.state !== 'Cancel').map((job) => job.jobId);
    assert.deepEqual(live.sort(), left, 'what CI still runs is exactly what the run recorded');
    const status = await handle.query(transcriptionStatusQuery);
    assert.equal(status.phase, 'cancelled');
    assert.deepEqual((status.uncancelledJobs ?? []).map((job) => job.jobId).sort(), left);
  });

  it('keeps secrets out of these histories, and they replay', async () => {
    for (const stack of stacks) {
      const ids = started.filter((s) => s.stack === stack).map((s) => s.workflowId);
      const { secretKey, callbackSecret } = stack.secrets;
      await assertHistoriesSafe(stack.client, ids, [secretKey, callbackSecret], bundle);
    }
  });
});
