import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { silentWav } from '../src/emulator';
import { FailureType } from '../src/shared/failure-types';
import type { TranscribeMediaInput } from '../src';
import { transcribeMedia, transcriptionStatusQuery } from '../src/workflows';
import { parentUsingTranscription } from './fixtures/parent-workflows';
import { assertHistoriesSafe } from './helpers/histories';
import type { StackOptions, TestStack } from './helpers/stack';
import { stackEnv, TEST_BUCKET, useStackFactory } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

describe('transcribeMedia lifecycle: cancellation, deadline, crashes, handover, child use', () => {
  const suite = useStackFactory();
  const checked: { stack: TestStack; workflowIds: string[] }[] = [];

  async function stackWith(options: Partial<StackOptions>): Promise<TestStack> {
    const stack = await suite.stackWith(options);
    checked.push({ stack, workflowIds: [] });
    return stack;
  }

  async function start(stack: TestStack, input: Partial<TranscribeMediaInput> = {}) {
    const key = `audio/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
    const workflowId = `lifecycle-${randomUUID()}`;
    checked.find((c) => c.stack === stack)!.workflowIds.push(workflowId);
    const handle = await stack.client.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [{ media: { object: key }, recognition, ...input }],
    });
    return { handle, key };
  }

  async function ciJobState(stack: TestStack, jobId: string) {
    const { jobs } = await stack.clients.ci.get([jobId]);
    return jobs[0]?.State;
  }

  async function failureOf(promise: Promise<unknown>): Promise<WorkflowFailedError> {
    const err = await promise.then(
      () => assert.fail('expected the workflow to fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError, String(err));
    return err;
  }

  it('cancelling before the job runs cancels the CI job', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 600_000, runningMs: 100 } } });
    const { handle } = await start(stack);
    const jobId = await waitFor('a job id', async () => (await handle.query(transcriptionStatusQuery)).jobId);
    await handle.cancel();
    const err = await failureOf(handle.result());
    assert.ok(err.cause instanceof CancelledFailure);
    assert.equal(await ciJobState(stack, jobId), 'Cancel');
    const memo = (await handle.describe()).memo as { cancellation: { ciCancelOutcome: string } };
    assert.equal(memo.cancellation.ciCancelOutcome, 'cancelled');
  });

  it('cancelling while the job runs reports honestly that CI could not cancel it', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 0, runningMs: 600_000 } } });
    const { handle } = await start(stack, { polling: { firstDelay: '100ms', jitter: 0 } });
    const jobId = await waitFor('the job to run', async () => {
      const status = await handle.query(transcriptionStatusQuery);
      return status.jobState === 'Running' ? status.jobId : undefined;
    });
    await handle.cancel();
    const err = await failureOf(handle.result());
    assert.ok(err.cause instanceof CancelledFailure);
    assert.equal(await ciJobState(stack, jobId), 'Running');
    const memo = (await handle.describe()).memo as { cancellation: { ciCancelOutcome: string; note: string } };
    assert.equal(memo.cancellation.ciCancelOutcome, 'not-cancellable');
    assert.match(memo.cancellation.note, /could not cancel/);
    const status = await handle.query(transcriptionStatusQuery);
    assert.equal(status.phase, 'cancelled');
  });

  it('fails with TranscriptionTimedOut at the deadline and cancels the waiting job', async () => {
    const stack = await stackWith({ emulator: { timings: { queuedMs: 600_000, runningMs: 100 } } });
    const { handle } = await start(stack, { deadline: '1.5s', polling: { firstDelay: '300ms' } });
    const err = await failureOf(handle.result());
    assert.ok(err.cause instanceof ApplicationFailure);
    assert.equal(err.cause.type, FailureType.TranscriptionTimedOut);
    const details = err.cause.details?.[0] as { jobId: string; cancelOutcome: string };
    assert.equal(details.cancelOutcome, 'cancelled');
    assert.equal(await ciJobState(stack, details.jobId), 'Cancel');
  });

  it('shows a paused queue in the status and finishes once the queue resumes', async () => {
    const queueId = `p${randomUUID().replace(/-/g, '')}`;
    const stack = await stackWith({ emulator: { queues: [{ queueId }], faults: { pausedQueues: [queueId] } } });
    const { handle } = await start(stack, {
      queueId,
      polling: { firstDelay: '100ms', maxInterval: '200ms', jitter: 0 },
    });
    await waitFor('the Pause state', async () =>
      (await handle.query(transcriptionStatusQuery)).jobState === 'Pause' ? true : undefined,
    );
    stack.emulator.setFaults({ pausedQueues: [] });
    assert.equal((await handle.result()).jobId.length > 0, true);
  });

  it('a lost submit response does not create a second job', async () => {
    const stack = await stackWith({ emulator: { faults: { loseSubmitResponses: 1 } } });
    const { handle, key } = await start(stack);
    const result = await handle.result();
    const counters = stack.emulator.counters();
    assert.equal(counters.jobsByInputObject[`${TEST_BUCKET}/${key}`], 1);
    assert.equal(counters.requests['POST /asr_jobs'], 1);
    assert.ok(result.jobId);
  });

  it('a worker killed right after submitting does not cause a second job', async () => {
    const stack = await stackWith({ startWorker: false });
    const child = spawn(process.execPath, ['--import', 'tsx', require.resolve('./fixtures/hanging-worker')], {
      env: {
        ...process.env,
        ...stackEnv(stack, suite.temporal),
        LOG_LEVEL: 'WARN',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await waitFor('the child worker', () => (output.includes('READY') ? true : undefined), 60_000);
      const { handle, key } = await start(stack, { activityAttemptTimeout: '2s' });
      const submitted = await waitFor('the submit', () => /SUBMITTED (\S+)/.exec(output)?.[1], 30_000);
      child.kill('SIGKILL');
      await exited;
      const replacement = await stack.startWorker();
      try {
        const result = await handle.result();
        assert.equal(result.jobId, submitted);
        assert.equal(stack.emulator.counters().jobsByInputObject[`${TEST_BUCKET}/${key}`], 1);
      } finally {
        await replacement.stop();
      }
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a second worker picks up a run the first left while waiting', async () => {
    const stack = await stackWith({ callbacks: false, emulator: { timings: { queuedMs: 0, runningMs: 1_500 } } });
    const { handle } = await start(stack, { polling: { firstDelay: '200ms', maxInterval: '300ms' } });
    await waitFor('the wait phase', async () =>
      (await handle.query(transcriptionStatusQuery)).phase === 'waiting' ? true : undefined,
    );
    await stack.worker.stop();
    const second = await stack.startWorker();
    try {
      const result = await handle.result();
      assert.equal(result.completedBy, 'poll');
    } finally {
      await second.stop();
    }
  });

  it('runs as a child of a user workflow', async () => {
    const parentBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/parent-workflows'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const stack = await stackWith({ workflowBundle: parentBundle });
    const key = `audio/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(1));
    const summary = await stack.client.workflow.execute(parentUsingTranscription, {
      taskQueue: stack.taskQueue,
      workflowId: `parent-${randomUUID()}`,
      args: [{ media: { object: key }, recognition, output: { key: `child/${randomUUID()}.txt` } }],
    });
    assert.match(summary, new RegExp(`^cos://${TEST_BUCKET}/child/.+\\.txt \\(\\d+ segments, by callback\\)$`));
  });

  it('keeps secrets out of these histories, and they replay', async () => {
    for (const { stack, workflowIds } of checked.filter((c) => c.workflowIds.length > 0)) {
      const { secretKey, callbackSecret } = stack.secrets;
      await assertHistoriesSafe(stack.client, workflowIds, [secretKey, callbackSecret], suite.bundle);
    }
  });
});
