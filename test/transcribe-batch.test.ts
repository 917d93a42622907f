import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { silentWav } from '../src/emulator';
import { FailureType } from '../src/shared/failure-types';
import type { BatchItemOutcome, TranscribeBatchInput } from '../src';
import { batchProgressQuery, transcribeBatch } from '../src/workflows';
import { assertHistoriesSafe } from './helpers/histories';
import { TEST_BUCKET, TEST_REGION, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_en', ChannelNum: 1 } } as const;

describe('transcribeBatch', () => {
  const suite = useTestStack();
  const workflowIds: string[] = [];

  function seed(keys: string[]): void {
    for (const key of keys) suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(1));
  }

  async function run(input: TranscribeBatchInput) {
    const workflowId = `batch-${randomUUID()}`;
    workflowIds.push(workflowId);
    const handle = await suite.stack.client.workflow.start(transcribeBatch, {
      taskQueue: suite.stack.taskQueue,
      workflowId,
      args: [input],
    });
    return handle;
  }

  async function readManifest(key: string): Promise<{ summary: { total: number }; items: BatchItemOutcome[] }> {
    const body = await suite.stack.clients.objects.get({ Bucket: TEST_BUCKET, Region: TEST_REGION, Key: key });
    return JSON.parse(body.toString()) as { summary: { total: number }; items: BatchItemOutcome[] };
  }

  it('runs more items than its window across continue-as-new, and a failed item does not fail the batch', async () => {
    const folder = `batch/${randomUUID()}`;
    const keys = [1, 2, 3, 4, 5, 6, 7].map((n) => `${folder}/clip-${n}.wav`);
    seed(keys.filter((key) => !key.endsWith('clip-4.wav'))); // clip-4 is missing: its CI job fails
    const handle = await run({
      source: { keys },
      recognition,
      maxInFlight: 2,
      itemsPerRun: 3,
      item: { polling: { firstDelay: '200ms' } },
    });
    const result = await handle.result();

    assert.deepEqual([result.total, result.succeeded, result.failed], [7, 6, 1]);
    const manifest = await readManifest(result.manifestObject.key);
    assert.equal(manifest.items.length, 7);
    assert.deepEqual(new Set(manifest.items.map((i) => i.key)), new Set(keys));
    const failed = manifest.items.filter((i) => i.status === 'failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.key, `${folder}/clip-4.wav`);
    assert.equal(failed[0]!.error?.type, FailureType.CiJobFailed);
    const ok = manifest.items.find((i) => i.key === `${folder}/clip-1.wav`)!;
    assert.equal(ok.resultUri, `cos://${TEST_BUCKET}/asr/${folder}/clip-1.wav.txt`);
    // Continue-as-new happened: the latest run is not the first.
    const description = await handle.describe();
    assert.notEqual(description.runId, handle.firstExecutionRunId);
    const progress = await handle.query(batchProgressQuery);
    const { itemsPerMinute, concurrencyCap, ...counts } = progress;
    assert.deepEqual(counts, { total: 7, succeeded: 6, failed: 1, running: 0, listingComplete: true, etaSeconds: 0 });
    assert.ok(itemsPerMinute !== undefined && itemsPerMinute > 0);
    assert.equal(concurrencyCap, 2);
    assert.equal(suite.stack.emulator.counters().jobsCreated >= 7, true);
  });

  it('lists a prefix page by page, takes only media, and names outputs with the template', async () => {
    const folder = `prefix/${randomUUID()}`;
    const media = [`${folder}/a.wav`, `${folder}/b.mp3`, `${folder}/sub/c.m4a`];
    seed(media);
    suite.stack.emulator.putObject(TEST_BUCKET, `${folder}/notes.txt`, 'not media');
    const handle = await run({
      source: { prefix: `${folder}/` },
      recognition,
      outputKeyTemplate: 'out/{dir}{stem}.{ext}',
      item: { polling: { firstDelay: '200ms' } },
    });
    const result = await handle.result();
    assert.deepEqual([result.total, result.succeeded, result.failed], [3, 3, 0]);
    const manifest = await readManifest(result.manifestObject.key);
    assert.deepEqual(
      manifest.items.map((i) => i.resultUri).sort(),
      [`${folder}/a.txt`, `${folder}/b.txt`, `${folder}/sub/c.txt`].map((k) => `cos://${TEST_BUCKET}/out/${k}`),
    );
  });

  it('fails the batch on a failed item when asked to, after writing the manifest', async () => {
    const key = `missing/${randomUUID()}.wav`;
    const handle = await run({ source: { keys: [key] }, recognition, failOnItemFailure: true });
    const err = await handle.result().then(
      () => assert.fail('expected the batch to fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError);
    assert.ok(err.cause instanceof ApplicationFailure);
    assert.equal(err.cause.type, FailureType.BatchItemFailed);
    const details = err.cause.details?.[0] as { manifest: string };
    assert.match(details.manifest, /^cos:\/\//);
  });

  it('cancelling a batch cancels its children and their CI jobs, and still writes the manifest', async () => {
    const queueId = suite.stack.emulator.addQueue();
    suite.stack.emulator.setFaults({ pausedQueues: [queueId] });
    const folder = `cancel/${randomUUID()}`;
    const keys = [1, 2, 3].map((n) => `${folder}/clip-${n}.wav`);
    seed(keys);
    const handle = await run({
      source: { keys },
      recognition,
      maxInFlight: 2,
      manifestKey: `${folder}/batch.manifest.json`,
      item: { queueId, polling: { firstDelay: '100ms', maxInterval: '200ms' } },
    });
    await waitFor('two children waiting in the paused queue', async () => {
      const jobs = (await fetch(`${suite.stack.emulator.url}/_emulator/jobs`).then((r) => r.json())) as {
        queueId: string;
        state: string;
      }[];
      return jobs.filter((j) => j.queueId === queueId && j.state === 'Pause').length === 2 ? true : undefined;
    });
    await handle.cancel();
    const err = await handle.result().then(
      () => assert.fail('expected the batch to be cancelled'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure);
    const jobs = (await fetch(`${suite.stack.emulator.url}/_emulator/jobs`).then((r) => r.json())) as {
      queueId: string;
      state: string;
    }[];
    assert.deepEqual(
      jobs.filter((j) => j.queueId === queueId).map((j) => j.state),
      ['Cancel', 'Cancel'],
    );
    const manifest = await readManifest(`${folder}/batch.manifest.json`);
    assert.equal(manifest.items.length, 2);
    assert.ok(manifest.items.every((i) => i.status === 'failed'));
    suite.stack.emulator.setFaults({ pausedQueues: [] });
  });

  it('rejects invalid input', async () => {
    const handle = await run({ source: { keys: [] }, recognition, maxInFlight: 0 });
    const err = await handle.result().then(
      () => assert.fail('expected failure'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure);
    assert.equal(err.cause.type, FailureType.InvalidTranscriptionInput);
    assert.match(err.cause.message, /source\.keys/);
    assert.match(err.cause.message, /maxInFlight/);
  });

  it('keeps secrets out of batch histories, and they replay', async () => {
    await assertHistoriesSafe(
      suite.stack.client,
      workflowIds,
      [suite.stack.secrets.secretKey, suite.stack.secrets.callbackSecret],
      suite.bundle,
    );
  });
});
