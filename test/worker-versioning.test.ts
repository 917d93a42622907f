/**
 * Worker Versioning on a real Temporal dev server and the CI emulator: two plugin workers of one task queue, builds A
 * and B of one Worker Deployment. A transcription started while A is current keeps every workflow task (and its CI
 * submit, on the quota queue) on A after B becomes current; a transcription started afterwards runs on B. A batch
 * started on A stays on A with every run it continues as new into and every item it starts, even after B is current.
 * The same workflows run on an unversioned worker too (they declare PINNED only on a versioned one).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { LocalServices } from '../devstack/local-services';
import { startLocalServices } from '../devstack/local-services';
import type { RunningWorker } from '../devstack/running-worker';
import { runWorker } from '../devstack/running-worker';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { TencentCiAsrPlugin } from '../src';
import { ciQuotaTaskQueue } from '../src/shared/constants';
import type { TranscribeMediaInput } from '../src';
import { bundleTranscriptionWorkflows } from '../src/worker-setup/transcription-worker';
import type { TranscribeBatchInput } from '../src';
import { transcriptionStatusQuery } from '../src/workflows';
import { batchItemWorkflowId } from '../src/workflows/transcribe-batch/naming';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

type History = temporal.api.history.v1.IHistory;

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

/** The build of each completed workflow task of a history, in order (`undefined`: an unversioned worker's). */
function buildsOf(history: History): (string | undefined)[] {
  return (history.events ?? [])
    .map((event) => event.workflowTaskCompletedEventAttributes)
    .filter((attributes) => attributes != null)
    .map((attributes) => attributes.deploymentVersion?.buildId ?? undefined);
}

/** The histories of every run of a workflow, first to last, following its continue-as-new chain. */
async function historiesOfChain(client: Client, workflowId: string, firstRunId: string): Promise<History[]> {
  const histories: History[] = [];
  for (let runId: string | undefined = firstRunId; runId;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(history);
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return histories;
}

describe('Worker Versioning: runs stay on the build they started on', () => {
  let temporal: TemporalTestServer;
  let services: LocalServices;
  let bundle: { code: string };
  const namespace = () => temporal.env.namespace ?? 'default';
  const client = (): Client => temporal.env.client;

  before(async () => {
    temporal = await startTemporalForTests();
    services = await startLocalServices({
      temporal: { address: temporal.env.address, namespace: namespace() },
      emulator: { timings: { queuedMs: 0, runningMs: 100 } },
    });
    bundle = await bundleTranscriptionWorkflows();
  });
  after(async () => {
    await services?.stop();
    await temporal?.teardown();
  });

  async function startBuild(taskQueue: string, version: WorkerDeploymentVersion): Promise<RunningWorker> {
    const plugin = new TencentCiAsrPlugin({ ...services.workerSettings, workerDeploymentVersion: version });
    const worker = await Worker.create({
      connection: temporal.env.nativeConnection,
      namespace: namespace(),
      taskQueue,
      workflowBundle: bundle,
      plugins: [plugin],
    });
    return runWorker(worker);
  }

  /**
   * Waits until the server knows the version with the task queues its workers poll (the main queue for workflows and
   * activities, and the CI quota queue), then makes it current. Returns the queues, `name:type`.
   */
  async function makeCurrent(version: WorkerDeploymentVersion, taskQueue: string): Promise<string[]> {
    const service = client().workflowService;
    const expected = [`${taskQueue}:1`, `${taskQueue}:2`, `${ciQuotaTaskQueue(taskQueue)}:2`].sort();
    const queues = await waitFor(
      `version ${version.buildId} registered with its task queues`,
      async () => {
        const described = await service
          .describeWorkerDeploymentVersion({ namespace: namespace(), deploymentVersion: version })
          .catch(() => undefined);
        const infos = described?.workerDeploymentVersionInfo?.taskQueueInfos ?? [];
        const names = infos.map((info) => `${info.name}:${info.type}`).sort();
        return names.length >= expected.length ? names : undefined;
      },
      30_000,
    );
    await service.setWorkerDeploymentCurrentVersion({
      namespace: namespace(),
      deploymentName: version.deploymentName,
      buildId: version.buildId,
      identity: 'worker-versioning.test',
    });
    return queues;
  }

  function transcription(key: string): TranscribeMediaInput {
    services.emulator.putObject(services.bucket, key, silentWav(1));
    services.emulator.putObject(services.bucket, `${key}${TRANSCRIPT_SUFFIX}`, 'a line');
    return { media: { object: key }, recognition, polling: { firstDelay: '200ms', maxInterval: '300ms' } };
  }

  /** Build A and B of a deployment of this test's own (making a version current is per deployment). */
  function twoBuilds(): [WorkerDeploymentVersion, WorkerDeploymentVersion] {
    const deploymentName = `ci-asr-${randomUUID().slice(0, 8)}`;
    return [
      { deploymentName, buildId: 'build-a' },
      { deploymentName, buildId: 'build-b' },
    ];
  }

  it('runs the same workflows on an unversioned worker, which declare no behaviour there', async () => {
    // The server refuses a workflow task that declares a behaviour from an unversioned worker: PINNED only when versioned.
    const taskQueue = `unversioned-${randomUUID()}`;
    const worker = await Worker.create({
      connection: temporal.env.nativeConnection,
      namespace: namespace(),
      taskQueue,
      workflowBundle: bundle,
      plugins: [new TencentCiAsrPlugin(services.workerSettings)],
    });
    const running = runWorker(worker);
    try {
      const handle = await client().workflow.start('transcribeMedia', {
        taskQueue,
        workflowId: `unversioned-${randomUUID()}`,
        args: [transcription(`versioning/${randomUUID()}/unversioned.wav`)],
      });
      await handle.result();
      const completed = ((await handle.fetchHistory()).events ?? []).flatMap((event) =>
        event.workflowTaskCompletedEventAttributes ? [event.workflowTaskCompletedEventAttributes] : [],
      );
      assert.ok(completed.length > 0);
      assert.deepEqual(new Set(completed.map((task) => Number(task.versioningBehavior ?? 0))), new Set([0]));
      assert.deepEqual(new Set(buildsOf(await handle.fetchHistory())), new Set([undefined]));
    } finally {
      await running.stop();
    }
  });

  it('keeps a run started on build A on A after B becomes current, and starts new runs on B', async () => {
    const [buildA, buildB] = twoBuilds();
    const taskQueue = `versioning-${randomUUID()}`;
    const heldKey = `versioning/${randomUUID()}/held.wav`;
    const workers: RunningWorker[] = [];
    try {
      workers.push(await startBuild(taskQueue, buildA));
      // Workflow (1) and activity (2) tasks of the main queue, and the CI quota queue's activities: the plugin's
      // quota worker polls as the worker's version, so a pinned run's submit runs on its own build too.
      const queues = await makeCurrent(buildA, taskQueue);
      assert.deepEqual(queues, [`${taskQueue}:1`, `${taskQueue}:2`, `${ciQuotaTaskQueue(taskQueue)}:2`].sort());

      services.emulator.setFaults({ holdJobs: [heldKey.replace(/[.]/g, '\\.')] });
      const first = await client().workflow.start('transcribeMedia', {
        taskQueue,
        workflowId: `versioning-a-${randomUUID()}`,
        args: [transcription(heldKey)],
      });
      await waitFor('the first run submitted its job (held running at the emulator)', async () => {
        const status = await first.query(transcriptionStatusQuery);
        return status.jobId ? true : undefined;
      });

      workers.push(await startBuild(taskQueue, buildB));
      await makeCurrent(buildB, taskQueue);
      const tasksOnABeforeB = buildsOf(await first.fetchHistory()).length;

      const second = await client().workflow.start('transcribeMedia', {
        taskQueue,
        workflowId: `versioning-b-${randomUUID()}`,
        args: [transcription(`versioning/${randomUUID()}/new.wav`)],
      });
      await second.result();
      // The first run keeps polling its held job meanwhile: tasks completed after B became current.
      await waitFor('the first run completes workflow tasks after B became current', async () =>
        buildsOf(await first.fetchHistory()).length > tasksOnABeforeB + 1 ? true : undefined,
      );
      services.emulator.setFaults({ holdJobs: [] });
      await first.result();

      const firstBuilds = buildsOf(await first.fetchHistory());
      assert.ok(firstBuilds.length > tasksOnABeforeB, 'the first run had tasks after B became current');
      assert.deepEqual(new Set(firstBuilds), new Set(['build-a']), 'every task of the first run ran on build A');
      assert.deepEqual(new Set(buildsOf(await second.fetchHistory())), new Set(['build-b']));

      const described = await first.describe();
      const versioning = described.raw.workflowExecutionInfo?.versioningInfo;
      assert.equal(versioning?.deploymentVersion?.buildId, 'build-a');
      // PINNED by the workflow's own declaration: these workers' default is AUTO_UPGRADE.
      assert.equal(String(versioning?.behavior), String(1), 'VERSIONING_BEHAVIOR_PINNED');
    } finally {
      services.emulator.setFaults({ holdJobs: [] });
      for (const running of workers.reverse()) await running.stop();
    }
  });

  it('keeps a batch on build A across continue-as-new, with every item it starts, after B becomes current', async () => {
    const [buildA, buildB] = twoBuilds();
    const taskQueue = `versioning-batch-${randomUUID()}`;
    const folder = `versioning-batch/${randomUUID()}`;
    const keys = [0, 1, 2].map((i) => `${folder}/clip-${i}.wav`);
    for (const key of keys) services.emulator.putObject(services.bucket, key, silentWav(1));
    const workers: RunningWorker[] = [];
    try {
      workers.push(await startBuild(taskQueue, buildA));
      await makeCurrent(buildA, taskQueue);
      // One item at a time and a new run per item: the first item's held job keeps the second run waiting.
      services.emulator.setFaults({ holdJobs: [`${folder}/clip-0\\.wav`] });
      const input: TranscribeBatchInput = {
        source: { keys },
        recognition,
        maxInFlight: 1,
        itemsPerRun: 1,
        item: { polling: { firstDelay: '200ms', maxInterval: '300ms' } },
      };
      const batch = await client().workflow.start('transcribeBatch', {
        taskQueue,
        workflowId: `versioning-batch-${randomUUID()}`,
        args: [input],
      });
      const firstItem = client().workflow.getHandle(
        batchItemWorkflowId(batch.workflowId, batch.firstExecutionRunId, 0),
      );
      await waitFor('the first item submitted its job and the batch continued as new', async () => {
        const status = await firstItem.query(transcriptionStatusQuery).catch(() => undefined);
        const current = await batch.describe();
        return status?.jobId && current.runId !== batch.firstExecutionRunId ? true : undefined;
      });

      workers.push(await startBuild(taskQueue, buildB));
      await makeCurrent(buildB, taskQueue);
      services.emulator.setFaults({ holdJobs: [] });
      const result = (await batch.result()) as { succeeded: number };
      assert.equal(result.succeeded, 3);

      // Items 1 and 2, and the runs that started them, all began after B became current.
      const runs = await historiesOfChain(client(), batch.workflowId, batch.firstExecutionRunId);
      assert.ok(runs.length >= 3, `the batch continued as new at least twice (${runs.length} runs)`);
      const batchBuilds = new Set(runs.flatMap((history) => buildsOf(history)));
      assert.deepEqual(batchBuilds, new Set(['build-a']), 'every run of the batch ran on build A');
      for (const i of [0, 1, 2]) {
        const history = await client()
          .workflow.getHandle(batchItemWorkflowId(batch.workflowId, batch.firstExecutionRunId, i))
          .fetchHistory();
        assert.deepEqual(new Set(buildsOf(history)), new Set(['build-a']), `item ${i} ran on build A`);
      }
    } finally {
      services.emulator.setFaults({ holdJobs: [] });
      for (const running of workers.reverse()) await running.stop();
    }
  });
});
