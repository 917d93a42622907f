/**
 * Lone `transcribeMedia` runs share the CI submit rate limit batches use: on a worker whose quota workers run submits
 * (`sharedSubmitQueue`), each run submits on `<queue>-ci-quota`, the queue batches take their admissions from.
 * Counted where the submits land, at the emulator (one job per run), and spaced where the limit acts: the server's
 * dispatch of each submit to the quota queue, read from the runs' histories. No timing goal, only the spread a
 * 1-per-second limit cannot avoid; a loaded machine only widens it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { silentWav } from '../src/emulator';
import { tsToMs } from '@temporalio/common/lib/time';
import { ciQuotaTaskQueue } from '../src/shared/constants';
import { transcribeBatch, transcribeMedia } from '../src/workflows';
import { historyCost } from '../bench/lib/history-cost';
import { fetchHistory } from './helpers/histories';
import { TEST_BUCKET, TEST_REGION, useTestStack } from './helpers/stack';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

describe('lone transcribeMedia runs and the shared CI submit rate limit', () => {
  const suite = useTestStack({ sharedSubmitQueue: true, submitsPerSecond: 1 });

  function seed(count: number): string[] {
    const folder = `admission/${randomUUID()}`;
    const keys = Array.from({ length: count }, (_, n) => `${folder}/clip-${n}.wav`);
    for (const key of keys) suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(1));
    return keys;
  }

  /** Jobs at the emulator for `keys`. */
  async function jobCount(keys: string[]): Promise<number> {
    const jobs = (await fetch(`${suite.stack.emulator.url}/_emulator/jobs`).then((r) => r.json())) as {
      input: { object?: string };
    }[];
    const wanted = new Set(keys);
    return jobs.filter((job) => job.input.object !== undefined && wanted.has(job.input.object)).length;
  }

  it('five runs started at once submit no faster than the quota queue allows (1/s)', async () => {
    const keys = seed(5);
    const handles = await Promise.all(
      keys.map((key) =>
        suite.stack.client.workflow.start(transcribeMedia, {
          taskQueue: suite.stack.taskQueue,
          workflowId: `admitted-${randomUUID()}`,
          args: [{ media: { object: key }, recognition, polling: { firstDelay: '200ms' } }],
        }),
      ),
    );
    await Promise.all(handles.map((handle) => handle.result()));
    assert.equal(await jobCount(keys), 5, 'one job per run');

    const dispatched: number[] = [];
    for (const handle of handles) {
      const history = await fetchHistory(suite.stack.client, handle.workflowId);
      const cost = historyCost(history);
      assert.deepEqual(cost.activities, [`submitTranscriptionJob@${ciQuotaTaskQueue(suite.stack.taskQueue)}`]);
      // When the server handed the submit to a worker: the moment the task queue's rate limit lets it through.
      const started = history.events?.find((event) => event.activityTaskStartedEventAttributes);
      dispatched.push(tsToMs(started?.eventTime));
      assert.ok(!cost.localActivities.includes('usesSharedSubmitQueue'), 'the queue is decided without asking');
    }
    dispatched.sort((a, b) => a - b);
    // Five dispatches at 1/s span about 4 s; the server's limiter may let a second one through at once (its burst),
    // so at least 3 s. Delays on a loaded machine happen after dispatch, or stretch the spread: never shrink it.
    const spread = dispatched.at(-1)! - dispatched[0]!;
    assert.ok(spread >= 3_000, `first-to-last submit dispatch spread ${spread} ms`);
  });

  it('a batch item submits on the main queue: its batch took an admission for it', async () => {
    const keys = seed(2);
    const batch = await suite.stack.client.workflow.start(transcribeBatch, {
      taskQueue: suite.stack.taskQueue,
      workflowId: `admission-batch-${randomUUID()}`,
      args: [{ source: { keys }, recognition, item: { polling: { firstDelay: '200ms' } } }],
    });
    const result = await batch.result();
    assert.equal(result.succeeded, 2);
    const admissions = historyCost(await fetchHistory(suite.stack.client, batch.workflowId)).activities.filter((a) =>
      a.startsWith('admitCiSubmit@'),
    );
    assert.equal(admissions.length, 2, 'the batch took one admission per item');
    const manifest = JSON.parse(
      (
        await suite.stack.clients.objects.get({
          Bucket: TEST_BUCKET,
          Region: TEST_REGION,
          Key: result.manifestObject.key,
        })
      ).toString(),
    ) as { items: { workflowId: string }[] };
    for (const item of manifest.items) {
      const cost = historyCost(await fetchHistory(suite.stack.client, item.workflowId));
      assert.deepEqual(cost.activities, [`submitTranscriptionJob@${suite.stack.taskQueue}`]);
      assert.ok(!cost.localActivities.includes('usesSharedSubmitQueue'), 'a batch item does not ask');
    }
  });
});
