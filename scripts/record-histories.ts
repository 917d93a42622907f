/**
 * Records the replay fixtures of this release: `tsx scripts/record-histories.ts [--force]`.
 *
 * Starts its own Temporal dev server (suggesting continue-as-new after 40 events, so a long wait continues within
 * seconds), the CI emulator and the callback receiver, runs one workflow per scenario on an in-process worker with
 * the current code, and writes each run's history to `test/fixtures/histories/<package version>/<scenario>.json`.
 * `test/replay-histories.test.ts` replays every folder against the current workflow bundle, so a change that is not
 * replay-safe fails `npm test`. Run it only when cutting a release (docs/upgrading.md): a release's folder is never
 * rewritten (`--force` exists for fixing a recording of the release being cut), and older folders stay.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startLocalServices } from '../devstack/local-services';
import { exitOnDevStackFailure, requireTemporalCli, TemporalCliError } from '../devstack/temporal-cli';
import { startTemporalDevServer } from '../devstack/temporal-dev-server';
import { silentWav } from '../src/emulator';
import { runWorker } from '../devstack/running-worker';
import { createQuotaWorker } from '../src/plugin/quota-worker';
import { bundleTranscriptionWorkflows, createTranscriptionWorker } from '../src/worker-setup/transcription-worker';
import { transcribeBatch, transcribeMedia, transcriptionStatusQuery } from '../src/workflows';
import type { HistoryFixtureFile } from '../test/helpers/history-fixtures';
import { findForbidden, HISTORY_FIXTURES_DIR, RECORDING_SECRETS } from '../test/helpers/history-fixtures';

type History = temporal.api.history.v1.IHistory;

const BUCKET = 'media-1250000000';
const REGION = 'ap-guangzhou';
const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;
/** Jobs on this queue wait until the recorder resumes it: the wait that continues as new. */
const PAUSED_QUEUE = `p${'0'.repeat(31)}1`;
const fastPolls = { firstDelay: '100ms', multiplier: 1, maxInterval: '100ms', jitter: 0 } as const;

/** Replaces worker and client identities (`pid@hostname`): they say nothing to replay and name the recording machine. */
function scrub(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(scrub);
  if (node && typeof node === 'object') {
    return Object.fromEntries(
      Object.entries(node).map(([k, v]) => [k, k === 'identity' && typeof v === 'string' ? 'recorder' : scrub(v)]),
    );
  }
  return node;
}

/** Every run of a workflow, following its continue-as-new chain from the first run. */
async function runsOf(client: Client, workflowId: string, firstRunId: string): Promise<History[]> {
  const runs: History[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push(history);
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
  const outDir = join(HISTORY_FIXTURES_DIR, version);
  if (existsSync(outDir) && !force) {
    throw new Error(`${outDir} exists: a release's fixtures are never re-recorded (--force to redo this release's)`);
  }
  const cli = requireTemporalCli();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startTemporalDevServer({
    executable: cli,
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 },
  });
  const services = await startLocalServices({
    temporal: { address: server.address, namespace: server.namespace },
    secrets: { ...RECORDING_SECRETS },
    bucket: BUCKET,
    region: REGION,
    emulator: {
      timings: { queuedMs: 0, runningMs: 150 },
      queues: [{ queueId: PAUSED_QUEUE }],
      faults: { pausedQueues: [PAUSED_QUEUE] },
    },
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, namespace: server.namespace });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const taskQueue = `record-${randomUUID()}`;
  const worker = await createTranscriptionWorker({
    connection: nativeConnection,
    namespace: server.namespace,
    taskQueue,
    // As `src/worker.ts` runs it: the quota worker below runs lone runs' submits too.
    deps: { ...services.deps, sharedSubmitQueue: true },
    workflowBundle: await bundleTranscriptionWorkflows(),
  });
  const running = runWorker(
    worker,
    await createQuotaWorker({
      connection: nativeConnection,
      namespace: server.namespace,
      taskQueue,
      deps: services.deps,
    }),
  );
  const recorded: { file: string; scenario: string; workflowType: string; workflowId: string; history: History }[] = [];
  const media = (name: string): string => {
    const key = `fixtures/${name}.wav`;
    services.emulator.putObject(BUCKET, key, silentWav(1));
    return key;
  };
  try {
    // Callback path: the first poll is an hour away, so only the callback can finish it.
    const callbackRun = await client.workflow.start(transcribeMedia, {
      taskQueue,
      workflowId: 'fixture-callback-path',
      args: [{ media: { object: media('callback') }, recognition, polling: { firstDelay: '1 hour' } }],
    });
    assert.equal((await callbackRun.result()).completedBy, 'callback');
    recorded.push({
      file: 'callback-path',
      scenario: 'transcribeMedia finished by the CI callback signal',
      workflowType: 'transcribeMedia',
      workflowId: callbackRun.workflowId,
      history: await callbackRun.fetchHistory(),
    });

    // Poll path: callbacks off, short polls.
    const pollRun = await client.workflow.start(transcribeMedia, {
      taskQueue,
      workflowId: 'fixture-poll-path',
      args: [{ media: { object: media('poll') }, recognition, callback: { enabled: false }, polling: fastPolls }],
    });
    assert.equal((await pollRun.result()).completedBy, 'poll');
    recorded.push({
      file: 'poll-path',
      scenario: 'transcribeMedia with callbacks off, finished by polling',
      workflowType: 'transcribeMedia',
      workflowId: pollRun.workflowId,
      history: await pollRun.fetchHistory(),
    });

    // Deadline keep: no callback, the first poll after the deadline: the last check at the deadline keeps the result.
    const keptRun = await client.workflow.start(transcribeMedia, {
      taskQueue,
      workflowId: 'fixture-deadline-keep',
      args: [
        {
          media: { object: media('kept') },
          recognition,
          callback: { enabled: false },
          deadline: '3s',
          polling: { firstDelay: '1 hour' },
        },
      ],
    });
    assert.equal((await keptRun.result()).keptAtDeadline, true);
    recorded.push({
      file: 'deadline-keep',
      scenario: 'transcribeMedia whose job succeeded unseen: the check at the deadline keeps the result',
      workflowType: 'transcribeMedia',
      workflowId: keptRun.workflowId,
      history: await keptRun.fetchHistory(),
    });

    // Cancel: the job waits in the paused queue; the workflow is cancelled, cancels the job and sweeps the step.
    const cancelRun = await client.workflow.start(transcribeMedia, {
      taskQueue,
      workflowId: 'fixture-cancel',
      args: [
        { media: { object: media('cancel') }, recognition, queueId: PAUSED_QUEUE, polling: { firstDelay: '1 hour' } },
      ],
    });
    for (let i = 0; (await cancelRun.query(transcriptionStatusQuery)).phase !== 'waiting'; i++) {
      if (i > 600) throw new Error('the run did not reach waiting within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await cancelRun.cancel();
    await assert.rejects(cancelRun.result());
    assert.equal((await cancelRun.query(transcriptionStatusQuery)).phase, 'cancelled');
    recorded.push({
      file: 'cancel',
      scenario: 'transcribeMedia cancelled while its job waits: the job is cancelled and the step swept',
      workflowType: 'transcribeMedia',
      workflowId: cancelRun.workflowId,
      history: await cancelRun.fetchHistory(),
    });

    // Continue-as-new: the job waits in a paused queue until the run has continued as new, then finishes.
    const longRun = await client.workflow.start(transcribeMedia, {
      taskQueue,
      workflowId: 'fixture-continue-as-new',
      args: [
        {
          media: { object: media('long') },
          recognition,
          queueId: PAUSED_QUEUE,
          callback: { enabled: false },
          polling: fastPolls,
        },
      ],
    });
    for (let i = 0; (await longRun.describe()).runId === longRun.firstExecutionRunId; i++) {
      if (i > 600) throw new Error('no continue-as-new within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    services.emulator.setFaults({ pausedQueues: [] });
    assert.equal((await longRun.result()).completedBy, 'poll');
    const longRuns = await runsOf(client, longRun.workflowId, longRun.firstExecutionRunId);
    assert.ok(longRuns.length >= 2, 'the long wait continued as new');
    longRuns.forEach((history, i) =>
      recorded.push({
        file: `continue-as-new-run${i + 1}`,
        scenario: `transcribeMedia waiting across continue-as-new, run ${i + 1} of ${longRuns.length}`,
        workflowType: 'transcribeMedia',
        workflowId: longRun.workflowId,
        history,
      }),
    );

    // Batch: three items, two per run (so it continues as new), each item a child transcribeMedia.
    const batch = await client.workflow.start(transcribeBatch, {
      taskQueue,
      workflowId: 'fixture-batch',
      args: [
        {
          source: { keys: ['one', 'two', 'three'].map(media) },
          recognition,
          maxInFlight: 2,
          itemsPerRun: 2,
          item: { polling: { firstDelay: '200ms' } },
        },
      ],
    });
    const summary = await batch.result();
    assert.deepEqual([summary.total, summary.succeeded, summary.failed], [3, 3, 0]);
    const batchRuns = await runsOf(client, batch.workflowId, batch.firstExecutionRunId);
    assert.ok(batchRuns.length >= 2, 'the batch continued as new');
    batchRuns.forEach((history, i) =>
      recorded.push({
        file: `batch-run${i + 1}`,
        scenario: `transcribeBatch of 3 items, 2 per run, run ${i + 1} of ${batchRuns.length}`,
        workflowType: 'transcribeBatch',
        workflowId: batch.workflowId,
        history,
      }),
    );
    const child = batchRuns[0]!.events?.find((e) => e.childWorkflowExecutionStartedEventAttributes)
      ?.childWorkflowExecutionStartedEventAttributes?.workflowExecution?.workflowId;
    assert.ok(child, 'the batch started a child');
    recorded.push({
      file: 'batch-item',
      scenario: 'one batch item: a child transcribeMedia',
      workflowType: 'transcribeMedia',
      workflowId: child,
      history: await client.workflow.getHandle(child).fetchHistory(),
    });
  } finally {
    await running.stop();
    await nativeConnection.close();
    await connection.close();
    await services.stop();
    await server.stop();
  }

  const files = recorded.map(({ file, history, ...header }) => {
    const body: HistoryFixtureFile = {
      ...header,
      recordedBy: version,
      history: scrub(JSON.parse(historyToJSON(history))),
    };
    const text = `${JSON.stringify(body, null, 2)}\n`;
    const forbidden = findForbidden(text, Buffer.from(temporal.api.history.v1.History.encode(history).finish()));
    if (forbidden) throw new Error(`${file}: the history contains ${forbidden}; nothing written`);
    return { file, text, events: history.events?.length ?? 0 };
  });
  mkdirSync(outDir, { recursive: true });
  for (const { file, text, events } of files) {
    writeFileSync(join(outDir, `${file}.json`), text);
    console.log(`${join(outDir, `${file}.json`)}: ${events} events`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof TemporalCliError) exitOnDevStackFailure(err);
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
