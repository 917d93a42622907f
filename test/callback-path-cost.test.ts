/**
 * What one transcription costs the Temporal server on the callback path (emulator + receiver, the happy path),
 * counted from its history: workflow tasks, events, search-attribute and memo upserts, activities, timers.
 * docs/benchmarks.md ("Callback path cost per transcription") quotes these figures.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { silentWav } from '../src/emulator';
import { transcribeMedia } from '../src/workflows';
import { historyCost } from '../bench/lib/history-cost';
import { fetchHistory } from './helpers/histories';
import { TEST_BUCKET, useTestStack } from './helpers/stack';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

describe('the callback path cost per transcription', () => {
  const suite = useTestStack({ callbacks: true });

  it('is counted from the history of one run', async (t) => {
    const key = `audio/${randomUUID()}.wav`;
    suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
    const handle = await suite.stack.client.workflow.start(transcribeMedia, {
      taskQueue: suite.stack.taskQueue,
      workflowId: `cost-${randomUUID()}`,
      // Polling an hour away: only the callback can end this run.
      args: [{ media: { object: key }, recognition, polling: { firstDelay: '1 hour' } }],
    });
    assert.equal((await handle.result()).completedBy, 'callback');
    const history = await fetchHistory(suite.stack.client, handle.workflowId);
    for (const e of history.events ?? [])
      t.diagnostic(
        `${e.eventId} ${e.eventType} ${JSON.stringify(e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? e.markerRecordedEventAttributes?.markerName ?? '')}`,
      );
    const cost = historyCost(history);
    t.diagnostic(JSON.stringify(cost));
  });
});
