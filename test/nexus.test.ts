/**
 * The `transcription` Nexus service on the real dev server: a caller workflow in a second namespace reaches this
 * package's workflows through an endpoint, knowing only the contract (`src/nexus`) and the endpoint's name.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { CancelledFailure, NexusOperationFailure } from '@temporalio/common';
import type { NexusInterceptorsFactory } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import { HandlerError } from 'nexus-rpc';
import { ensureNamespace } from '../devstack/namespaces';
import type { RunningWorker } from '../devstack/running-worker';
import { runWorker } from '../devstack/running-worker';
import { silentWav } from '../src/emulator';
import type { DoctorJson } from '../src/cli/doctor/report';
import { readDoctorSettings } from '../src/cli/doctor/settings';
import { ensureNexusEndpoint } from '../src/nexus/endpoint';
import { FailureType } from '../src/shared/failure-types';
import { createQuotaWorker } from '../src/plugin/quota-worker';
import { createTranscriptionWorker } from '../src/worker-setup/transcription-worker';
import { transcriptionStatusQuery } from '../src/workflows';
import type {
  batchThroughNexus,
  failureThroughNexus,
  SeenFailure,
  transcribeThroughNexus,
} from './fixtures/nexus-callers';
import { runCliRecorded } from './helpers/cli';
import type { TestStack } from './helpers/stack';
import { stackEnv, TEST_BUCKET, useStackFactory } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

/** The Python with Temporal's Python SDK (`temporalio`): `.ci/run` installs it and names it by absolute path. */
const PYTHON = process.env.TEST_PYTHON || 'python3';
const hasPythonSdk = spawnSync(PYTHON, ['-c', 'import temporalio'], { stdio: 'ignore' }).status === 0;
const skipPython =
  hasPythonSdk || process.env.CI ? false : "Temporal's Python SDK is not installed (pip install temporalio)";

/** The workflow id in a Nexus workflow-run operation token (base64url JSON `{ t, ns, wid }`). */
function workflowIdOfToken(token: string): string {
  return (JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { wid: string }).wid;
}

describe('the transcription Nexus service, called from another namespace', () => {
  // Registered before the stack's own `after`: the caller worker holds the suite's connection.
  after(async () => {
    await callerWorker?.stop();
    await connection?.close();
  });
  const suite = useStackFactory();
  const callersNamespace = `asr-callers-${randomUUID().slice(0, 8)}`;
  const callerQueue = `nexus-callers-${randomUUID()}`;
  const endpoint = `asr-test-${randomUUID().slice(0, 8)}`;
  let stack: TestStack;
  let connection: Connection;
  let callers: Client;
  let callerWorker: RunningWorker;

  before(async () => {
    stack = await suite.stackWith({ callbacks: true, nexus: true });
    connection = await Connection.connect({ address: suite.temporal.env.address });
    await ensureNamespace(connection, callersNamespace);
    await ensureNexusEndpoint(connection, { name: endpoint, namespace: 'default', taskQueue: stack.taskQueue });
    callers = new Client({ connection, namespace: callersNamespace });
    callerWorker = runWorker(
      await Worker.create({
        connection: suite.temporal.env.nativeConnection,
        namespace: callersNamespace,
        taskQueue: callerQueue,
        workflowsPath: require.resolve('./fixtures/nexus-callers'),
      }),
    );
  });

  /** Starts a caller workflow (by name: the callers' bundle is theirs) in the callers' namespace. */
  function call<W extends typeof transcribeThroughNexus | typeof batchThroughNexus | typeof failureThroughNexus>(
    workflow: string,
    input: Parameters<W>[1],
  ): Promise<WorkflowHandle<W>> {
    return callers.workflow.start<W>(workflow, {
      taskQueue: callerQueue,
      workflowId: `caller-${randomUUID()}`,
      args: [endpoint, input] as Parameters<W>,
    });
  }

  /** The caller's NexusOperationStarted event, once the handler has started the run. */
  async function operationStarted(caller: WorkflowHandle) {
    return await waitFor('the operation to start', async () => {
      const { events } = await caller.fetchHistory();
      return events?.find((e) => e.nexusOperationStartedEventAttributes);
    });
  }

  function seed(key: string): void {
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
  }

  it('a caller workflow gets the transcription result, and both histories link to each other', async () => {
    const key = `audio/${randomUUID()}.wav`;
    seed(key);
    const caller = await call<typeof transcribeThroughNexus>('transcribeThroughNexus', {
      media: { object: key },
      recognition,
    });
    const result = await caller.result();
    assert.equal(result.resultObject.key, `asr/${key}.txt`);
    assert.equal(result.resultObject.bucket, TEST_BUCKET);
    assert.ok(['callback', 'poll'].includes(result.completedBy));

    const started = await operationStarted(caller);
    const token = started.nexusOperationStartedEventAttributes!.operationToken!;
    const workflowId = workflowIdOfToken(token);
    assert.match(workflowId, /^transcribe-nexus-[0-9a-f-]{36}$/);
    const scheduled = (await caller.fetchHistory()).events!.find((e) => e.nexusOperationScheduledEventAttributes)!;
    assert.equal(workflowId, `transcribe-nexus-${scheduled.nexusOperationScheduledEventAttributes!.requestId}`);
    // The caller's event points to the run (the UI's link), the run's first event back to the caller.
    const forward = started.links?.find((l) => l.workflowEvent)?.workflowEvent;
    assert.equal(forward?.namespace, 'default');
    assert.equal(forward?.workflowId, workflowId);
    const run = suite.temporal.env.client.workflow.getHandle(workflowId);
    const first = (await run.fetchHistory()).events![0]!;
    // The server keeps the caller's link on the event, or (1.30+, deduplicated) on the completion callback.
    const callbackLinks = first.workflowExecutionStartedEventAttributes?.completionCallbacks?.[0]?.links ?? [];
    const back = [...(first.links ?? []), ...callbackLinks].find((l) => l.workflowEvent)?.workflowEvent;
    assert.equal(back?.namespace, callersNamespace);
    assert.equal(back?.workflowId, caller.workflowId);
    assert.deepEqual(await run.result(), result);
  });

  it('a batch through transcribeBatch', async () => {
    const keys = [0, 1, 2].map((i) => `batch/${randomUUID()}-${i}.wav`);
    keys.forEach(seed);
    const caller = await call<typeof batchThroughNexus>('batchThroughNexus', { source: { keys }, recognition });
    const result = await caller.result();
    assert.deepEqual([result.total, result.succeeded, result.failed], [3, 3, 0]);
    const token = (await operationStarted(caller)).nexusOperationStartedEventAttributes!.operationToken!;
    assert.match(workflowIdOfToken(token), /^transcribe-batch-nexus-/);
  });

  it("cancelling the caller cancels the transcription and its CI job (the emulator counts the job's cancel)", async () => {
    const held = stack.emulator.addQueue();
    stack.emulator.setFaults({ pausedQueues: [held] });
    try {
      const key = `audio/${randomUUID()}.wav`;
      seed(key);
      const cancels = () => stack.emulator.counters().requests['PUT /jobs/:id?cancel'] ?? 0;
      const before = cancels();
      const caller = await call<typeof transcribeThroughNexus>('transcribeThroughNexus', {
        media: { object: key },
        recognition,
        queueId: held,
      });
      const token = (await operationStarted(caller)).nexusOperationStartedEventAttributes!.operationToken!;
      const run = suite.temporal.env.client.workflow.getHandle(workflowIdOfToken(token));
      const jobId = await waitFor('the CI job', async () => (await run.query(transcriptionStatusQuery)).jobId);
      await caller.cancel();
      const err = await caller.result().then(
        () => assert.fail('the caller should end cancelled'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof CancelledFailure, String(err.cause));
      const runError = await run.result().then(
        () => assert.fail('the run should end cancelled'),
        (e: unknown) => e as WorkflowFailedError,
      );
      assert.ok(runError.cause instanceof CancelledFailure);
      assert.equal(cancels() - before, 1);
      const { jobs } = await stack.clients.ci.get([jobId]);
      assert.equal(jobs[0]?.State, 'Cancel');
    } finally {
      stack.emulator.setFaults({ pausedQueues: [] });
    }
  });

  it('a failed CI job reaches the caller typed, with its details', async () => {
    const key = `audio/${randomUUID()}.wav`;
    seed(key);
    stack.emulator.setFaults({
      failJobs: [{ code: 'AudioDecodeFailed', message: 'cannot decode', inputPattern: key }],
    });
    try {
      const caller = await call<typeof failureThroughNexus>('failureThroughNexus', {
        media: { object: key },
        recognition,
      });
      const chain = await caller.result();
      assert.equal(chain[0]?.name, NexusOperationFailure.name, JSON.stringify(chain));
      const typed = chain.find((f) => f.type === FailureType.CiJobFailed);
      assert.ok(typed, JSON.stringify(chain));
      assert.equal(typed.nonRetryable, true);
      const details = typed.details?.[0] as { code: string; message: string; jobId: string };
      assert.equal(details.code, 'AudioDecodeFailed');
      assert.equal(details.message, 'cannot decode');
      assert.match(details.jobId, /^s[0-9a-f]{32}$/);
    } finally {
      stack.emulator.setFaults({ failJobs: [] });
    }
  });

  it('an input the workflow would refuse fails the operation at once, listing the problem, and starts no run', async () => {
    const caller = await call<typeof failureThroughNexus>('failureThroughNexus', {
      media: {} as never,
      recognition,
    });
    const chain = await caller.result();
    assert.equal(chain[0]?.name, NexusOperationFailure.name, JSON.stringify(chain));
    assert.match(JSON.stringify(chain), /media needs an object key or a url/);
    assert.ok(
      chain.some((f: SeenFailure) => f.type === 'BAD_REQUEST'),
      JSON.stringify(chain),
    );
    const { events } = await caller.fetchHistory();
    assert.ok(!events?.some((e) => e.nexusOperationStartedEventAttributes), 'no operation (and so no run) started');
  });

  it('a retried start request (its response lost) starts one run: the workflow id is the request id', async () => {
    // A handler worker whose first answer to each request is lost: the run is started, then the answer fails
    // (retryable), so the caller's server sends the same start request again, as after a timeout or a crash.
    const attempts = new Map<string, number>();
    const losesFirstAnswer: NexusInterceptorsFactory = () => ({
      inbound: {
        async startOperation(input, next) {
          const output = await next(input);
          const seen = (attempts.get(input.ctx.requestId) ?? 0) + 1;
          attempts.set(input.ctx.requestId, seen);
          if (seen === 1) throw new HandlerError('INTERNAL', 'answer lost (test)', { retryableOverride: true });
          return output;
        },
      },
    });
    const taskQueue = `asr-nexus-retry-${randomUUID()}`;
    const retryEndpoint = `asr-retry-${randomUUID().slice(0, 8)}`;
    const handler = runWorker(
      await createTranscriptionWorker({
        connection: suite.temporal.env.nativeConnection,
        taskQueue,
        deps: stack.deps,
        workflowBundle: suite.bundle,
        nexus: true,
        workerOptions: { interceptors: { nexus: [losesFirstAnswer] } },
      }),
      // Lone runs submit on the quota queue: its worker serves them, as the plugin's does.
      await createQuotaWorker({ connection: suite.temporal.env.nativeConnection, taskQueue, deps: stack.deps }),
    );
    // The job waits on a paused queue until the retry is answered, so the retry finds the run still running.
    const held = stack.emulator.addQueue();
    stack.emulator.setFaults({ pausedQueues: [held] });
    try {
      await ensureNexusEndpoint(connection, { name: retryEndpoint, namespace: 'default', taskQueue });
      const key = `audio/${randomUUID()}.wav`;
      seed(key);
      const output = { key: `asr/${key}.retry.txt` };
      const caller = await callers.workflow.start<typeof transcribeThroughNexus>('transcribeThroughNexus', {
        taskQueue: callerQueue,
        workflowId: `caller-${randomUUID()}`,
        args: [retryEndpoint, { media: { object: key }, recognition, output, queueId: held }],
      });
      await operationStarted(caller);
      stack.emulator.setFaults({ pausedQueues: [] });
      const result = await caller.result();
      assert.equal(result.resultObject.key, `asr/${key}.retry.txt`);
      assert.deepEqual([...attempts.values()], [2], 'one request, answered twice');
      const [requestId] = [...attempts.keys()];
      const runs = await waitFor('the run in visibility', async () => {
        const found: string[] = [];
        const query = `WorkflowId = 'transcribe-nexus-${requestId}'`;
        for await (const run of suite.temporal.env.client.workflow.list({ query })) found.push(run.runId);
        return found.length > 0 ? found : undefined;
      });
      assert.equal(runs.length, 1, `runs: ${runs.join(', ')}`);
      assert.equal(stack.emulator.counters().jobsByInputObject[`${TEST_BUCKET}/${key}`], 1);
    } finally {
      stack.emulator.setFaults({ pausedQueues: [] });
      await handler.stop();
    }
  });

  it(
    "a Python caller (Temporal's Python SDK) calls transcribe by service and operation name",
    { skip: skipPython },
    async () => {
      const key = `audio/${randomUUID()}.wav`;
      seed(key);
      const input = { media: { object: key }, recognition };
      const { stdout } = await promisify(execFile)(
        PYTHON,
        [
          join(__dirname, 'fixtures', 'python-nexus-caller.py'),
          suite.temporal.env.address,
          callersNamespace,
          endpoint,
          JSON.stringify(input),
        ],
        { encoding: 'utf8', timeout: 300_000 },
      );
      const result = JSON.parse(stdout) as { resultObject: { key: string }; manifestObject: { key: string } };
      assert.equal(result.resultObject.key, `asr/${key}.txt`);
      assert.equal(result.manifestObject.key, `asr/${key}.txt.manifest.json`);
    },
  );

  it('doctor checks the endpoint when one is configured: missing, routed elsewhere, then right', async () => {
    const name = `asr-doctor-${randomUUID().slice(0, 8)}`;
    const doctor = async (taskQueue = stack.taskQueue) => {
      const env = { ...stackEnv(stack, suite.temporal), TENCENT_CI_ASR_NEXUS_ENDPOINT: name };
      const { out } = await runCliRecorded(['doctor', '--json'], {
        taskQueue,
        temporal: () => Promise.resolve(suite.temporal.env.client),
        tencent: () => stack.clients,
        doctorSettings: () => readDoctorSettings(env),
      });
      return (JSON.parse(out) as DoctorJson).checks.find((c) => c.id === 'nexus-endpoint')!;
    };
    const missing = await doctor();
    assert.equal(missing.status, 'fail');
    assert.match(missing.detail, new RegExp(`no Nexus endpoint named ${name}`));
    assert.equal(
      missing.fix?.split('\n')[0],
      `temporal operator nexus endpoint create --name ${name} --target-namespace default --target-task-queue ${stack.taskQueue}`,
    );
    await ensureNexusEndpoint(connection, { name, namespace: 'default', taskQueue: 'elsewhere' });
    const elsewhere = await doctor();
    assert.equal(elsewhere.status, 'fail');
    assert.match(elsewhere.detail, new RegExp(`routes to default/elsewhere, not to default/${stack.taskQueue}`));
    await ensureNexusEndpoint(connection, { name, namespace: 'default', taskQueue: stack.taskQueue });
    const right = await doctor();
    assert.deepEqual(
      [right.status, right.detail],
      ['pass', `Nexus endpoint ${name} routes to default/${stack.taskQueue}`],
    );
    const unconfigured = await runCliRecorded(['doctor', '--json'], {
      taskQueue: stack.taskQueue,
      temporal: () => Promise.resolve(suite.temporal.env.client),
      tencent: () => stack.clients,
      doctorSettings: () => readDoctorSettings(stackEnv(stack, suite.temporal)),
    });
    const ids = (JSON.parse(unconfigured.out) as DoctorJson).checks.map((c) => c.id);
    assert.ok(!ids.includes('nexus-endpoint'), 'not checked when no endpoint is configured');
  });
});
