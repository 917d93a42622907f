import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { transcribeMedia, transcriptionStatusQuery } from '../src/workflows';
import type { FloodEntry, FloodRequest } from './helpers/flood';
import { eventsAcrossRuns, jsonBody, sendFlood, xmlBody } from './helpers/flood';
import { TEST_BUCKET, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

interface EmulatedJobSummary {
  jobId: string;
  userData?: string;
  callbackUrl?: string;
}

describe('a leaked callback URL flooded with forged and replayed entries', () => {
  // One request a second per client after a burst of 60: the flood (400 requests) is refused in part however slowly a
  // loaded machine sends it (at the default 20/s, a flood slower than that was never limited).
  const suite = useTestStack({ receiverLimits: { perClient: { burst: 60, perSecond: 1 } } });

  /** Starts a run whose job waits in `queueId` (paused) and resolves to its handle, job id, tag and callback URL. */
  async function startHeld(queueId: string) {
    const key = `audio/${randomUUID()}.wav`;
    suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
    suite.stack.emulator.putObject(TEST_BUCKET, `${key}${TRANSCRIPT_SUFFIX}`, 'held then done');
    const handle = await suite.stack.client.workflow.start(transcribeMedia, {
      taskQueue: suite.stack.taskQueue,
      workflowId: `flood-${randomUUID()}`,
      // Polling an hour away: only a callback can finish these runs within the test.
      args: [{ media: { object: key }, recognition, queueId, polling: { firstDelay: '1 hour' } }],
    });
    const jobId = await waitFor('the job id', async () => (await handle.query(transcriptionStatusQuery)).jobId);
    const jobs = (await fetch(`${suite.stack.emulator.url}/_emulator/jobs`).then((r) =>
      r.json(),
    )) as EmulatedJobSummary[];
    const job = jobs.find((j) => j.jobId === jobId);
    assert.ok(job?.callbackUrl && job.userData, 'the job carries a callback URL and its tag');
    return { handle, jobId, tag: job.userData, url: job.callbackUrl };
  }

  it('keeps the run and its history unharmed, answers 429 with Retry-After, and still completes by callback', async () => {
    // Two queues of the emulator's (it refuses unknown ones, as CI does), paused so the jobs wait for the callback.
    const [held, heldToo] = [suite.stack.emulator.addQueue(), suite.stack.emulator.addQueue()];
    suite.stack.emulator.setFaults({ pausedQueues: [held, heldToo] });
    const target = await startHeld(held);
    const bystander = await startHeld(heldToo);
    assert.ok(!new URL(target.url).pathname.includes('%2F'));

    const forged = (n: number, state: string, userData?: string): FloodEntry[] =>
      Array.from({ length: n }, () => ({ jobId: `s${randomUUID().replace(/-/g, '')}`, state, userData }));
    const real = (state: string): FloodEntry => ({ jobId: target.jobId, state, userData: target.tag });
    const xml = (entries: FloodEntry[]): FloodRequest => ({
      url: target.url,
      body: xmlBody(entries),
      contentType: 'application/xml',
    });
    const json = (entries: FloodEntry[]): FloodRequest => ({
      url: target.url,
      body: jsonBody(entries),
      contentType: 'application/json',
    });
    const requests: FloodRequest[] = [];
    for (let i = 0; i < 100; i++) {
      requests.push(
        xml(forged(100, i % 2 ? 'Success' : 'Failed', target.tag)), // forged ids under the right tag
        json(forged(100, 'Success')), // forged ids without the tag
        xml(Array.from({ length: 100 }, () => real('Running'))), // replays of the real job while it runs
        json([...forged(99, 'Cancel', target.tag), real('Submitted')]),
      );
    }
    const events = (run: typeof target) =>
      eventsAcrossRuns(suite.stack.client, run.handle.workflowId, run.handle.firstExecutionRunId);
    const before = await events(target);
    // Half-way through the flood CI finishes another run's job: its genuine callback must get through.
    const answers = await sendFlood(requests, 16, (answered) => {
      if (answered === requests.length / 2) suite.stack.emulator.setFaults({ pausedQueues: [held] });
    });

    assert.ok((answers.statuses[429] ?? 0) > 0, `some requests were rate limited: ${JSON.stringify(answers.statuses)}`);
    assert.ok(
      answers.retryAfter.every((value) => /^[1-9]\d*$/.test(value)),
      'every 429 says when to retry',
    );
    assert.deepEqual(
      Object.keys(answers.statuses).filter((status) => !['200', '403', '429'].includes(status)),
      [],
      'the receiver answered every request with a clear status',
    );
    const bystanderResult = await bystander.handle.result();
    assert.equal(bystanderResult.completedBy, 'callback', 'another run completed by callback during the flood');
    const status = await target.handle.query(transcriptionStatusQuery);
    assert.deepEqual(
      [status.phase, status.callbacksReceived, status.polls],
      ['waiting', 0, 0],
      'nothing of the flood reached the run',
    );
    const flooded = await events(target);
    assert.ok(flooded - before <= 5, `40 000 flood entries added ${flooded - before} events`);

    // CI finishes the job right after the flood; its genuine callback gets through.
    suite.stack.emulator.setFaults({ pausedQueues: [] });
    const result = await target.handle.result();
    assert.equal(result.completedBy, 'callback');
    assert.equal(result.segments, 1);
    const [total, unflooded] = [await events(target), await events(bystander)];
    assert.ok(total - unflooded <= 24, `the flooded run has ${total} events, its twin ${unflooded}`);
  });
});
