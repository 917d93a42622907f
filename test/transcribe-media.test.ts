import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { FailureType } from '../src/shared/failure-types';
import type { TranscribeMediaInput } from '../src';
import { transcribeMedia, transcriptionStatusQuery } from '../src/workflows';
import { assertHistoriesSafe, historyLength } from './helpers/histories';
import type { TestStack } from './helpers/stack';
import { TEST_BUCKET, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

describe('transcribeMedia on a real Temporal server and the CI emulator', () => {
  const suite = useTestStack();
  const workflowIds: string[] = [];

  function seedMedia(key: string, sentences: string[]): void {
    suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(3));
    suite.stack.emulator.putObject(TEST_BUCKET, `${key}${TRANSCRIPT_SUFFIX}`, sentences.join('\n'));
  }

  async function start(input: TranscribeMediaInput) {
    const workflowId = `transcribe-${randomUUID()}`;
    workflowIds.push(workflowId);
    return await suite.stack.client.workflow.start(transcribeMedia, {
      taskQueue: suite.stack.taskQueue,
      workflowId,
      args: [input],
    });
  }

  it('completes on the callback path with one submit and one confirming get, and stores a manifest', async () => {
    const key = `audio/${randomUUID()}.wav`;
    seedMedia(key, ['hello world', 'second sentence']);
    const before = suite.stack.emulator.counters();
    // Polling far in the future: only the callback can complete this run quickly.
    const handle = await start({
      media: { object: key },
      recognition,
      polling: { firstDelay: '1 hour', maxInterval: '2 hours' },
    });
    const result = await handle.result();

    assert.equal(result.completedBy, 'callback');
    assert.equal(result.resultObject.uri, `cos://${TEST_BUCKET}/asr/${key}.txt`);
    assert.equal(result.manifestObject.key, `asr/${key}.txt.manifest.json`);
    assert.equal(result.audioTimeSeconds, 3);
    assert.equal(result.segments, 2);
    const status = await handle.query(transcriptionStatusQuery);
    assert.equal(status.phase, 'completed');
    assert.equal(status.polls, 0);
    assert.ok(status.callbacksReceived >= 1);

    const after = suite.stack.emulator.counters();
    const calls = (route: string) => (after.requests[route] ?? 0) - (before.requests[route] ?? 0);
    // Two CI calls per job on the callback path: the submit and the get that confirms the callback. The submit went
    // out once on its first attempt, so no list sweeps for duplicates (there can be none).
    assert.equal(calls('POST /asr_jobs'), 1);
    assert.equal(calls('GET /asr_jobs'), 0);
    assert.equal(calls('GET /asr_jobs/:ids'), 1);
    assert.equal(after.jobsByInputObject[`${TEST_BUCKET}/${key}`], 1);
    const manifest = JSON.parse(
      (
        await suite.stack.clients.objects.get({
          Bucket: TEST_BUCKET,
          Region: 'ap-guangzhou',
          Key: result.manifestObject.key,
        })
      ).toString(),
    ) as { jobId: string; segments: number; completedBy: string; input: { object: string } };
    assert.equal(manifest.jobId, result.jobId);
    assert.equal(manifest.segments, 2);
    assert.equal(manifest.input.object, key);
    const events = await historyLength(suite.stack.client, handle.workflowId);
    assert.ok(events <= 30, `callback path history has ${events} events`);
  });

  /** Requests per route made by `work`, read from the emulator's counters. */
  async function countRequests<T>(work: () => Promise<T>): Promise<{ value: T; calls: (route: string) => number }> {
    const before = suite.stack.emulator.counters().requests;
    const value = await work();
    const after = suite.stack.emulator.counters().requests;
    return { value, calls: (route) => (after[route] ?? 0) - (before[route] ?? 0) };
  }

  async function withFaults<T>(faults: Parameters<TestStack['emulator']['setFaults']>[0], work: () => Promise<T>) {
    suite.stack.emulator.setFaults(faults);
    try {
      return await work();
    } finally {
      suite.stack.emulator.setFaults({
        callbackDropShare: 0,
        callbackDuplicateShare: 0,
        callbackEarlyShare: 0,
        callbackDelayMs: 0,
        failJobs: [],
        routes: {},
      });
    }
  }

  async function expectFailure(input: TranscribeMediaInput, type: string): Promise<ApplicationFailure> {
    const handle = await start(input);
    const err = await handle.result().then(
      () => assert.fail('the workflow should have failed'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof WorkflowFailedError, `expected WorkflowFailedError, got ${String(err)}`);
    // The failure may come from the workflow itself or from an activity (ActivityFailure → ApplicationFailure).
    let cause: unknown = err.cause;
    while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as Error).cause;
    assert.ok(cause instanceof ApplicationFailure, `no ApplicationFailure in the chain of ${String(err)}`);
    assert.equal(cause.type, type);
    assert.equal(cause.nonRetryable, true);
    return cause;
  }

  it('completes by polling with backoff when the callback is dropped', async () => {
    const key = `audio/${randomUUID()}.wav`;
    seedMedia(key, ['polled']);
    const { value: result, calls } = await countRequests(() =>
      withFaults({ callbackDropShare: 1 }, async () => {
        const handle = await start({
          media: { object: key },
          recognition,
          polling: { firstDelay: '100ms', jitter: 0 },
        });
        return { result: await handle.result(), status: await handle.query(transcriptionStatusQuery) };
      }),
    );
    assert.equal(result.result.completedBy, 'poll');
    assert.ok(result.status.polls >= 1);
    assert.equal(calls('POST /asr_jobs'), 1);
    // Every poll is one GET, and the poll that sees Success also carries what storing the result needs.
    assert.equal(calls('GET /asr_jobs/:ids'), result.status.polls);
  });

  it('ignores duplicate callbacks: one job, one result', async () => {
    const key = `audio/${randomUUID()}.wav`;
    seedMedia(key, ['twice']);
    const { value, calls } = await countRequests(() =>
      withFaults({ callbackDuplicateShare: 1 }, async () => {
        const handle = await start({ media: { object: key }, recognition, polling: { firstDelay: '1 hour' } });
        return { result: await handle.result(), status: await handle.query(transcriptionStatusQuery) };
      }),
    );
    assert.equal(value.result.completedBy, 'callback');
    assert.equal(calls('POST /asr_jobs'), 1);
    assert.ok(calls('GET /asr_jobs/:ids') <= 3);
  });

  it('handles a callback that arrives before the submit activity returns', async () => {
    const key = `audio/${randomUUID()}.wav`;
    seedMedia(key, ['early bird']);
    const result = await withFaults({ callbackEarlyShare: 1 }, async () => {
      const handle = await start({ media: { object: key }, recognition, polling: { firstDelay: '1 hour' } });
      return await handle.result();
    });
    assert.equal(result.completedBy, 'callback');
    assert.equal(suite.stack.emulator.counters().jobsByInputObject[`${TEST_BUCKET}/${key}`], 1);
  });

  it('a replayed callback URL costs at most one CI check per poll interval', async () => {
    const queueId = suite.stack.emulator.addQueue();
    suite.stack.emulator.setFaults({ pausedQueues: [queueId] });
    const key = `audio/${randomUUID()}.wav`;
    seedMedia(key, ['flooded']);
    const handle = await start({ media: { object: key }, recognition, queueId, polling: { firstDelay: '1 hour' } });
    const jobId = await waitFor('the job id', async () => (await handle.query(transcriptionStatusQuery)).jobId);
    const jobs = (await fetch(`${suite.stack.emulator.url}/_emulator/jobs`).then((r) => r.json())) as {
      jobId: string;
      callbackUrl: string;
      userData: string;
    }[];
    const { callbackUrl: url, userData } = jobs.find((j) => j.jobId === jobId)!;
    const body = `<Response><EventName>TaskFinish</EventName><JobsDetail><JobId>${jobId}</JobId><State>Success</State><Code>Success</Code><Operation><UserData>${userData}</UserData></Operation></JobsDetail></Response>`;
    const gets = () => suite.stack.emulator.counters().requests['GET /asr_jobs/:ids'] ?? 0;
    const before = gets();
    for (let i = 0; i < 20; i += 1) {
      const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
      assert.equal(answer.status, 200);
    }
    // Settled: the callback handled, the first check done, and no activity pending that could be another check.
    // The replays collapse before the run (receiver and validator): one callback reaches it.
    await waitFor('the workflow to settle', async () => {
      const signals = (await handle.query(transcriptionStatusQuery)).callbacksReceived;
      const pending = (await handle.describe()).raw.pendingActivities?.length ?? 0;
      return signals >= 1 && pending === 0 && gets() > before ? true : undefined;
    });
    assert.equal((await handle.query(transcriptionStatusQuery)).callbacksReceived, 1);
    assert.equal(gets() - before, 1, 'one check for the first callback, the rest wait for the next poll');
    assert.equal((await handle.query(transcriptionStatusQuery)).jobState, 'Pause');
    await handle.cancel();
    suite.stack.emulator.setFaults({ pausedQueues: [] });
  });

  it('accepts JSON callbacks', async () => {
    const key = `audio/${randomUUID()}.wav`;
    seedMedia(key, ['json please']);
    const handle = await start({
      media: { object: key },
      recognition,
      callback: { format: 'JSON' },
      polling: { firstDelay: '1 hour' },
    });
    assert.equal((await handle.result()).completedBy, 'callback');
  });

  it('fails with CiJobFailed carrying CI code and message when the job fails', async () => {
    const key = `audio/${randomUUID()}.wav`;
    seedMedia(key, ['doomed']);
    const failure = await withFaults(
      { failJobs: [{ code: 'AudioDecodeFailed', message: 'cannot decode audio', inputPattern: key }] },
      () => expectFailure({ media: { object: key }, recognition }, FailureType.CiJobFailed),
    );
    const details = failure.details?.[0] as { code: string; message: string; jobId: string };
    assert.equal(details.code, 'AudioDecodeFailed');
    assert.equal(details.message, 'cannot decode audio');
    assert.match(details.jobId, /^s[0-9a-f]{32}$/);
  });

  it('fails with CiJobFailed when the input object does not exist', async () => {
    const failure = await expectFailure(
      { media: { object: `missing/${randomUUID()}.wav` }, recognition },
      FailureType.CiJobFailed,
    );
    assert.ok((failure.details?.[0] as { code?: string }).code);
  });

  it('fails with CiJobFailed, typed and with the code and message, when the input is not audio or video', async () => {
    const key = `docs/${randomUUID()}.md`;
    suite.stack.emulator.putObject(TEST_BUCKET, key, '# README\nNot a recording.\n');
    const failure = await expectFailure({ media: { object: key }, recognition }, FailureType.CiJobFailed);
    const details = failure.details?.[0] as { code: string; message: string; jobId: string };
    // No source gives CI's code for undecodable media: the emulator's default variant (docs/emulator.md).
    assert.equal(details.code, 'InvalidMediaFormat');
    assert.match(details.message, /not an audio or video file/);
    assert.match(details.jobId, /^s[0-9a-f]{32}$/);
  });

  it('rejects invalid input at once, before anything is submitted', async () => {
    const { value: failures, calls } = await countRequests(async () => [
      await expectFailure({ media: {} as never, recognition }, FailureType.InvalidTranscriptionInput),
      await expectFailure(
        {
          media: { object: 'a.wav' },
          recognition: { speechRecognition: { EngineModelType: '16k_xx' as never, ChannelNum: 2 } },
        },
        FailureType.InvalidTranscriptionInput,
      ),
      await expectFailure(
        { media: { object: 'a.wav' }, recognition, polling: { firstDelay: 'soon' as never } },
        FailureType.InvalidTranscriptionInput,
      ),
    ]);
    assert.match(failures[0]!.message, /media/);
    assert.match(failures[1]!.message, /EngineModelType/);
    assert.match(failures[2]!.message, /polling\.firstDelay/);
    assert.equal(calls('POST /asr_jobs'), 0);
  });

  it('keeps secrets out of every history, and every history replays', async () => {
    const { secretKey, secretId, callbackSecret } = suite.stack.secrets;
    await assertHistoriesSafe(suite.stack.client, workflowIds, [secretKey, callbackSecret, secretId], suite.bundle);
  });
});
