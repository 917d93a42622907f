/**
 * Issue 25's holes 1–3 on a real dev server and the emulator: a submit attempt never outlives the activity's budget
 * (and the cleanup after an unanswered submit finds the job a late request still committed), a credential source
 * slower than an attempt never crashes the worker process, and every lookup names a queue. Claims are checked against
 * the emulator's own record.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import type { TranscribeMediaInput } from '../src';
import { silentWav } from '../src/emulator';
import { defaultQueueId } from '../src/emulator/job-engine';
import { bundleTranscriptionWorkflows, createTranscriptionWorker } from '../src/worker-setup/transcription-worker';
import { runWorker } from '../devstack/running-worker';
import { transcribeMedia } from '../src/workflows';
import type { StackOptions, TestStack } from './helpers/stack';
import { stackEnv, startStack, TEST_BUCKET } from './helpers/stack';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

const speechRecognition = { EngineModelType: '16k_zh', ChannelNum: 1 } as const;

interface EmulatedJob {
  jobId: string;
  state: string;
  queueId: string;
  input: { object?: string };
}

describe('submit budget: no attempt outlives it, no worker crashes, every lookup names its queue', () => {
  let temporal: TemporalTestServer;
  let bundle: { code: string };
  const stacks: TestStack[] = [];

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

  async function start(stack: TestStack, input: Partial<TranscribeMediaInput>) {
    const key = `audio/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(1));
    const handle = await stack.client.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId: `budget-${randomUUID()}`,
      args: [{ media: { object: key }, recognition: { speechRecognition }, ...input }],
    });
    return { handle, key };
  }

  async function jobsOf(stack: TestStack, key: string): Promise<EmulatedJob[]> {
    const all = (await fetch(`${stack.emulator.url}/_emulator/jobs`).then((r) => r.json())) as EmulatedJob[];
    return all.filter((job) => job.input.object === key);
  }

  it('a submit racing its schedule-to-close leaves no job uncancelled, even one CI commits after the run failed', async () => {
    // CI commits each submit 13 s after receiving it. Attempt 1 (10 s start-to-close) gives up at 8 s; attempt 2
    // starts at about 10 s with 2 s of the run's 12 s left: it must send nothing. The run fails at 12 s and cleans up
    // at once, before the job of attempt 1 exists; the cleanup must look again and cancel it.
    const stack = await stackWith({
      emulator: {
        // Jobs wait in the queue (cancellable) until the test ends.
        timings: { queuedMs: 600_000, runningMs: 100 },
        faults: { routes: { 'POST /asr_jobs': { latencyMs: 13_000 } } },
      },
    });
    const { handle, key } = await start(stack, { activityAttemptTimeout: '10s', deadline: '12s' });
    const err = await handle.result().then(
      () => assert.fail('the run cannot finish within its deadline'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError, String(err));
    // Every submit CI received is committed (13 s after it arrived): then no more jobs can appear.
    const posts = () => stack.emulator.counters().requests['POST /asr_jobs'] ?? 0;
    await waitFor('every received submit committed', () =>
      (stack.emulator.counters().jobsByInputObject[`${TEST_BUCKET}/${key}`] ?? 0) === posts() ? true : undefined,
    );
    assert.equal(posts(), 1, 'no attempt sent a submit its budget could not cover');
    assert.deepEqual(
      (await jobsOf(stack, key)).map((job) => job.state),
      ['Cancel'],
      'the one job CI committed after the run failed is cancelled',
    );
  });

  it('a credential source slower than the attempt fails the attempt (retryable) and the worker process lives', async () => {
    const stack = await stackWith({ startWorker: false });
    // The run's workflows and cleanup here; its submit on the quota queue, served only by the child process.
    const workflows = runWorker(
      await createTranscriptionWorker({
        connection: temporal.env.nativeConnection,
        namespace: temporal.env.namespace,
        taskQueue: stack.taskQueue,
        deps: stack.deps,
        workflowBundle: bundle,
      }),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', require.resolve('./fixtures/slow-credentials-worker')], {
      env: {
        ...process.env,
        ...stackEnv(stack, temporal),
        SLOW_CREDENTIALS_MS: '1500',
        CI_QUEUE_ID: defaultQueueId(TEST_BUCKET),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    try {
      await waitFor('the child worker', () => (output.includes('READY') ? true : undefined), 60_000);
      // Each attempt gives up at 1 s (3 s start-to-close less the margin), while its keys take 1.5 s to come.
      const { handle } = await start(stack, { activityAttemptTimeout: '3s', deadline: '9s' });
      await handle.result().catch(() => undefined);
      assert.equal(child.exitCode, null, 'the worker process is still running');
      assert.equal(child.signalCode, null);
      const events = (await handle.fetchHistory()).events ?? [];
      const failures = events.flatMap((event) => event.activityTaskFailedEventAttributes?.failure ?? []);
      assert.ok(failures.length > 0, 'the submit failed');
      for (const failure of failures) {
        assert.match(failure.message ?? '', /own deadline/);
        assert.notEqual(failure.applicationFailureInfo?.nonRetryable, true, 'retryable');
      }
      assert.equal(stack.emulator.counters().requests['POST /asr_jobs'] ?? 0, 0, 'no submit went out');
    } finally {
      child.kill('SIGKILL');
      await workflows.stop();
    }
  });
});
