import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import {
  executeBatch,
  executeTranscription,
  getBatchHandle,
  getTranscriptionHandle,
  InvalidWorkflowInputError,
  startBatch,
  startTranscription,
  validateBatchInput,
} from '../src/client';
import { noFaults, silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { TEST_BUCKET, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

describe('client helpers on a real Temporal server and the CI emulator', () => {
  const suite = useTestStack();

  function seed(text: string): string {
    const key = `client/${randomUUID()}.wav`;
    suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
    suite.stack.emulator.putObject(TEST_BUCKET, `${key}${TRANSCRIPT_SUFFIX}`, text);
    return key;
  }

  it('startTranscription returns a typed handle: derived id, status query, result', async () => {
    const key = seed('handle me');
    const handle = await startTranscription(
      suite.stack.client,
      { media: { object: key }, recognition },
      {
        taskQueue: suite.stack.taskQueue,
      },
    );
    assert.match(handle.workflowId, /^transcribe-[0-9a-f-]{36}$/);
    assert.ok(handle.firstExecutionRunId);
    const result = await handle.result();
    assert.equal(result.resultObject.uri, `cos://${TEST_BUCKET}/asr/${key}.txt`);
    const status = await handle.status();
    assert.equal(status.phase, 'completed');
    assert.equal(status.jobId, result.jobId);
    const again = getTranscriptionHandle(suite.stack.client, handle.workflowId);
    assert.equal((await again.result()).jobId, result.jobId);
  });

  it('executeTranscription waits for the result and passes start options through', async () => {
    const key = seed('wait for me');
    const workflowId = `client-${randomUUID()}`;
    const result = await executeTranscription(
      suite.stack.client,
      { media: { object: key }, recognition },
      {
        taskQueue: suite.stack.taskQueue,
        workflowId,
        memo: { requestedBy: 'client test' },
      },
    );
    assert.equal(result.segments, 1);
    const description = await suite.stack.client.workflow.getHandle(workflowId).describe();
    assert.deepEqual(description.memo?.requestedBy, 'client test');
  });

  it('rejects an invalid input before starting anything', async () => {
    const workflowId = `client-invalid-${randomUUID()}`;
    await assert.rejects(
      startTranscription(
        suite.stack.client,
        { media: { object: '' }, recognition },
        { taskQueue: suite.stack.taskQueue, workflowId },
      ),
      (err: unknown) =>
        err instanceof InvalidWorkflowInputError && err.problems[0] === 'media.object must be a non-empty object key',
    );
    await assert.rejects(suite.stack.client.workflow.getHandle(workflowId).describe(), /not found/i);
    await assert.rejects(
      startBatch(
        suite.stack.client,
        { source: { keys: [] }, recognition, maxInFlight: 500 },
        { taskQueue: suite.stack.taskQueue },
      ),
      (err: unknown) =>
        err instanceof InvalidWorkflowInputError && err.workflowType === 'transcribeBatch' && err.problems.length === 2,
    );
  });

  it('cancel() cancels a waiting transcription', async () => {
    const key = seed('never waited for');
    // No callback and a distant first poll: the run sits in `waiting` until cancelled.
    suite.stack.emulator.setFaults({ callbackDropShare: 1 });
    try {
      const handle = await startTranscription(
        suite.stack.client,
        { media: { object: key }, recognition, polling: { firstDelay: '1 hour' } },
        { taskQueue: suite.stack.taskQueue },
      );
      await waitFor('the waiting phase', async () => ((await handle.status()).phase === 'waiting' ? true : undefined));
      await handle.cancel();
      const err = await handle.result().then(
        () => assert.fail('a cancelled run has no result'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WorkflowFailedError);
      assert.ok(err.cause instanceof CancelledFailure, String(err.cause));
      assert.equal((await handle.status()).phase, 'cancelled');
    } finally {
      suite.stack.emulator.setFaults(noFaults());
    }
  });

  it('startBatch returns a handle with status and result; getBatchHandle finds it by id and run id', async () => {
    const folder = `client-batch/${randomUUID()}`;
    const keys = [1, 2, 3].map((n) => `${folder}/${n}.wav`);
    for (const key of keys) suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(1));
    const handle = await startBatch(
      suite.stack.client,
      { source: { prefix: `${folder}/` }, recognition, maxInFlight: 2 },
      {
        taskQueue: suite.stack.taskQueue,
      },
    );
    assert.match(handle.workflowId, /^transcribe-batch-/);
    const result = await handle.result();
    assert.deepEqual([result.total, result.succeeded, result.failed], [3, 3, 0]);
    const progress = await handle.status();
    const { itemsPerMinute, ...counts } = progress;
    assert.deepEqual(counts, {
      total: 3,
      listingComplete: true,
      succeeded: 3,
      failed: 0,
      running: 0,
      etaSeconds: 0,
      concurrencyCap: 2,
    });
    assert.ok(itemsPerMinute !== undefined && itemsPerMinute > 0);
    const byRun = getBatchHandle(suite.stack.client, handle.workflowId, handle.firstExecutionRunId);
    assert.equal((await byRun.workflow.describe()).runId, handle.firstExecutionRunId);
    assert.deepEqual(await byRun.result(), result);
    assert.equal((await getBatchHandle(suite.stack.client, handle.workflowId).status()).succeeded, 3);

    const viaWait = await executeBatch(
      suite.stack.client,
      { source: { keys: [keys[0]!] }, recognition },
      {
        taskQueue: suite.stack.taskQueue,
      },
    );
    assert.equal(viaWait.succeeded, 1);
  });
});

describe('validateBatchInput', () => {
  it('throws an InvalidWorkflowInputError listing every problem, like validateTranscriptionInput', () => {
    assert.doesNotThrow(() => validateBatchInput({ source: { prefix: '' }, recognition }));
    assert.throws(
      () => validateBatchInput({ source: { keys: [] }, recognition, maxInFlight: 0 }),
      (err: unknown) =>
        err instanceof InvalidWorkflowInputError &&
        err.workflowType === 'transcribeBatch' &&
        err.problems.length === 2 &&
        err.problems.includes('source.keys must be a non-empty list of object keys'),
    );
    assert.throws(() => validateBatchInput(null as never), /input must be an object/);
  });
});
