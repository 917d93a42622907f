/**
 * TencentCiAsrPlugin on a real Temporal dev server and the CI emulator: the committed release histories replay with
 * the plugin, a transcription runs on a plugin worker that keeps no workflow in its cache (every task replays), a
 * batch completes on a worker embedded with the plugin alone (its CI quota worker runs and stops with it), and a
 * client with either plugin refuses bad starts before anything reaches Temporal.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import type { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import type { LocalServices } from '../devstack/local-services';
import { startLocalServices } from '../devstack/local-services';
import { runWorker } from '../devstack/running-worker';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { TencentCiAsrPlugin } from '../src';
import type { TranscribeMediaInput } from '../src';
import {
  executeBatch,
  InvalidWorkflowInputError,
  MissingSearchAttributesError,
  TencentCiAsrClientPlugin,
} from '../src/client';
import { missingSearchAttributes } from '../src/client/start-checks';
import { ciQuotaTaskQueue } from '../src/shared/constants';
import type { transcribeAndRecord } from './fixtures/plugin-app/workflows';
import * as appActivities from './fixtures/plugin-app/activities';
import { fetchHistory } from './helpers/histories';
import { loadHistoryFixtures } from './helpers/history-fixtures';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

type History = temporal.api.history.v1.IHistory;

const APP_WORKFLOWS = require.resolve('./fixtures/plugin-app/workflows');
const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

function eventsOf(history: History, attributes: string): number {
  return (history.events ?? []).filter((event) => attributes in event && event[attributes as keyof typeof event])
    .length;
}

describe('TencentCiAsrPlugin on a real Temporal server and the CI emulator', () => {
  let temporal: TemporalTestServer;
  let services: LocalServices;
  let bundle: { code: string };
  const namespace = () => temporal.env.namespace ?? 'default';

  before(async () => {
    temporal = await startTemporalForTests();
    services = await startLocalServices({
      temporal: { address: temporal.env.address, namespace: namespace() },
      emulator: { timings: { queuedMs: 0, runningMs: 150 } },
    });
    // The user's workflows module, bundled with the plugin as a prebuilt bundle would be.
    bundle = await bundleWorkflowCode({ workflowsPath: APP_WORKFLOWS, plugins: [new TencentCiAsrPlugin()] });
  });
  after(async () => {
    await services?.stop();
    await temporal?.teardown();
  });

  it('replays every committed release history with the plugin, from the bundle of your workflows module', async () => {
    const plugins = [new TencentCiAsrPlugin()];
    // The histories carry callback updates: they replay only when the plugin adds this package's workflow
    // interceptors to the bundle, as the worker that recorded them had.
    const fixtures = loadHistoryFixtures();
    assert.ok(fixtures.length >= 9);
    for (const fixture of fixtures) {
      const results = Worker.runReplayHistories({ workflowBundle: bundle, plugins, replayName: 'plugin' }, [
        { workflowId: fixture.workflowId, history: fixture.history },
      ]);
      for await (const result of results) {
        assert.equal(result.error, undefined, `${fixture.name} replays with the plugin: ${String(result.error)}`);
      }
    }
  });

  it('completes a transcription as a child of your workflow, with your activity, on a worker that caches nothing', async () => {
    const taskQueue = `plugin-${randomUUID()}`;
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(2));
    services.emulator.putObject(services.bucket, `${key}${TRANSCRIPT_SUFFIX}`, 'first line\nsecond line');
    const running = runWorker(
      await Worker.create({
        connection: temporal.env.nativeConnection,
        namespace: namespace(),
        taskQueue,
        // Every workflow task replays the whole history from the start: what the plugins guide asks to test.
        maxCachedWorkflows: 0,
        plugins: [new TencentCiAsrPlugin(services.workerSettings)],
        activities: appActivities,
        // Bundled by the worker itself, through the plugin's bundler hook.
        workflowsPath: APP_WORKFLOWS,
      }),
    );
    const client = new Client({
      connection: temporal.env.connection,
      namespace: namespace(),
      plugins: [new TencentCiAsrPlugin()],
    });
    const workflowId = `plugin-${randomUUID()}`;
    try {
      const input: TranscribeMediaInput = { media: { object: key }, recognition };
      const recorded = await client.workflow.execute<typeof transcribeAndRecord>('transcribeAndRecord', {
        taskQueue,
        workflowId,
        args: [input],
      });
      assert.equal(recorded, `recorded cos://${services.bucket}/asr/${key}.txt`);
    } finally {
      await running.stop();
    }
    const text = await services.clients.objects.get({
      Bucket: services.bucket,
      Region: services.region,
      Key: `asr/${key}.txt`,
    });
    assert.match(text.toString('utf8'), /first line/);
    for (const id of [workflowId, `${workflowId}-transcription`]) {
      const history = await fetchHistory(client, id);
      // Several tasks each rebuilt the run from its history, and none of them met a determinism error.
      assert.ok(eventsOf(history, 'workflowTaskCompletedEventAttributes') >= 2, `${id} ran more than one task`);
      assert.equal(eventsOf(history, 'workflowTaskFailedEventAttributes'), 0, `${id} has no failed workflow task`);
    }
  });

  it('completes a batch on a worker embedded with the plugin alone; its quota worker stops with it', async () => {
    const taskQueue = `plugin-batch-${randomUUID()}`;
    const folder = `batch/${randomUUID()}`;
    for (const n of [1, 2]) services.emulator.putObject(services.bucket, `${folder}/${n}.wav`, silentWav(1));
    // A connection of its own: closing it succeeds only once no worker (main or quota) holds it any more.
    const connection = await NativeConnection.connect({ address: temporal.env.address });
    const worker = await Worker.create({
      connection,
      namespace: namespace(),
      taskQueue,
      workflowBundle: bundle,
      plugins: [new TencentCiAsrPlugin({ ...services.workerSettings, ciSubmitsPerSecond: 50 })],
    });
    const running = runWorker(worker);
    try {
      const client = new Client({ connection: temporal.env.connection, namespace: namespace() });
      const result = await executeBatch(
        client,
        { source: { prefix: `${folder}/` }, recognition },
        { taskQueue, workflowId: `plugin-batch-${randomUUID()}` },
      );
      assert.deepEqual([result.total, result.succeeded, result.failed], [2, 2, 0]);
      const { pollers } = await client.workflowService.describeTaskQueue({
        namespace: namespace(),
        taskQueue: { name: ciQuotaTaskQueue(taskQueue) },
        taskQueueType: 2, // TASK_QUEUE_TYPE_ACTIVITY
      });
      assert.ok((pollers ?? []).length > 0, 'the plugin runs a poller on the CI quota queue');
    } finally {
      await running.stop();
    }
    assert.equal(worker.getState(), 'STOPPED');
    await connection.close(); // rejects while a quota worker still holds the connection
  });

  it('refuses a bad transcribeMedia input started by name, before anything reaches Temporal', async () => {
    const client = new Client({
      connection: temporal.env.connection,
      namespace: namespace(),
      plugins: [new TencentCiAsrClientPlugin()],
    });
    const workflowId = `plugin-bad-${randomUUID()}`;
    await assert.rejects(
      client.workflow.start('transcribeMedia', {
        taskQueue: `plugin-${randomUUID()}`,
        workflowId,
        args: [{ media: {}, recognition }],
      }),
      (err: unknown) => err instanceof InvalidWorkflowInputError && err.workflowType === 'transcribeMedia',
    );
    await assert.rejects(
      client.workflow.signalWithStart('transcribeBatch', {
        taskQueue: `plugin-${randomUUID()}`,
        workflowId,
        args: [{ source: {}, recognition }],
        signal: 'anything',
        signalArgs: [],
      }),
      (err: unknown) => err instanceof InvalidWorkflowInputError && err.workflowType === 'transcribeBatch',
    );
    await assert.rejects(client.workflow.getHandle(workflowId).describe(), WorkflowNotFoundError);
  });

  it("refuses this package's workflows on a namespace without the search attributes, and lets others start", async () => {
    const bare = `plugin-bare-${randomUUID()}`;
    await temporal.env.connection.workflowService.registerNamespace({
      namespace: bare,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    // A new namespace reaches the server's namespace cache after a moment.
    await waitFor('the new namespace', async () =>
      missingSearchAttributes(temporal.env.connection, bare).catch(() => undefined),
    );
    const client = new Client({
      connection: temporal.env.connection,
      namespace: bare,
      plugins: [new TencentCiAsrClientPlugin()],
    });
    const workflowId = `plugin-bare-${randomUUID()}`;
    const input: TranscribeMediaInput = { media: { object: 'audio/a.wav' }, recognition };
    await assert.rejects(
      client.workflow.start('transcribeMedia', { taskQueue: 'nobody', workflowId, args: [input] }),
      (err: unknown) =>
        err instanceof MissingSearchAttributesError &&
        err.namespace === bare &&
        err.missing.join() === 'CiJobId (Keyword),CiJobState (Keyword)' &&
        err.message.includes('temporal operator search-attribute create'),
    );
    await assert.rejects(client.workflow.getHandle(workflowId).describe(), WorkflowNotFoundError);
    // Not ours: untouched by the checks.
    const other = await client.workflow.start('someoneElsesWorkflow', {
      taskQueue: 'nobody',
      workflowId: `other-${randomUUID()}`,
    });
    await other.terminate();
    // On the namespace the suite registered them in, the same start is accepted.
    const ok = new Client({
      connection: temporal.env.connection,
      namespace: namespace(),
      plugins: [new TencentCiAsrPlugin()],
    });
    const accepted = await ok.workflow.start('transcribeMedia', {
      taskQueue: 'nobody',
      workflowId: `ok-${randomUUID()}`,
      args: [input],
    });
    await accepted.terminate();
  });
});
