/**
 * What one transcription costs the Temporal server on the callback path (emulator + receiver, the happy path),
 * counted from its history: workflow tasks, events, search-attribute and memo upserts, activities, timers.
 * docs/benchmarks.md ("Callback path cost per transcription") quotes these figures.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { silentWav } from '../src/emulator';
import { ciQuotaTaskQueue } from '../src/shared/constants';
import { transcribeMedia } from '../src/workflows';
import { historyCost } from '../bench/lib/history-cost';
import { fetchHistory } from './helpers/histories';
import { TEST_BUCKET, useTestStack } from './helpers/stack';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

describe('the callback path cost per transcription', () => {
  const suite = useTestStack({ callbacks: true, sharedSubmitQueue: true });

  it('is three workflow tasks, one scheduled activity, two upserts and at most 20 events', async (t) => {
    const key = `audio/${randomUUID()}.wav`;
    suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
    const handle = await suite.stack.client.workflow.start(transcribeMedia, {
      taskQueue: suite.stack.taskQueue,
      workflowId: `cost-${randomUUID()}`,
      // Polling an hour away: only the callback can end this run.
      args: [{ media: { object: key }, recognition, polling: { firstDelay: '1 hour' } }],
    });
    assert.equal((await handle.result()).completedBy, 'callback');
    const cost = historyCost(await fetchHistory(suite.stack.client, handle.workflowId));
    t.diagnostic(JSON.stringify(cost));

    // Start; the submit's result; the callback, whose check runs in that same task and ends the run.
    assert.equal(cost.workflowTasks, 3);
    // A lone run submits on the CI quota queue, spaced by its rate limit, decided without asking the worker.
    assert.deepEqual(cost.activities, [`submitTranscriptionJob@${ciQuotaTaskQueue(suite.stack.taskQueue)}`]);
    assert.deepEqual(cost.localActivities, ['checkTranscriptionJob']);
    assert.equal(cost.patchMarkers, 0);
    // CiJobId with the first state once the job is known, then the final state: the states between are not written.
    assert.equal(cost.searchAttributeUpserts, 2);
    assert.equal(cost.searchAttributeValuesWritten, 3);
    assert.equal(cost.memoUpserts, 0);
    // The poll timer is left to end with the run, not cancelled.
    assert.deepEqual([cost.timersStarted, cost.timersCancelled, cost.messages], [1, 0, 1]);
    assert.ok(cost.events <= 20, `${cost.events} events`);
  });
});
