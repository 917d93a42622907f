import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { queueCallbackUrl } from '../src/receiver/queue-token';
import type { RunningReceiver } from '../src/receiver/server';
import { startReceiver } from '../src/receiver/server';
import { createTemporalClientFactory } from '../src/receiver/temporal';
import type { TranscribeMediaInput } from '../src';
import { transcribeMedia, transcriptionStatusQuery } from '../src/workflows';
import { captureLogger, postCallback, xmlNotification } from './fixtures/receiver-helpers';
import { assertHistoriesSafe, fetchHistory } from './helpers/histories';
import { sampleValue } from './helpers/prometheus';
import { TEST_BUCKET, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;
/** A failing lookup would leave a run waiting for its hour-away poll: fail instead of hanging. */
const TIMEOUT = { timeout: 90_000 };
/** Test-only: random per run, long and URL-safe like the config asks. */
const QUEUE_TOKEN = `test-only-queue-token-${randomBytes(16).toString('hex')}`;

interface EmulatedJobView {
  jobId: string;
  callbackUrl?: string;
  userData: string;
}

describe('queue-level callbacks: one queue URL, the workflow found by CiJobId (real Temporal, emulator, receiver)', () => {
  // Jobs run 1.5 s: time for the run to upsert CiJobId after its submit even on a loaded machine (the early-callback
  // test covers a callback that comes first).
  const suite = useTestStack({ emulator: { timings: { queuedMs: 0, runningMs: 1_500 } } });
  const logs = captureLogger();
  const workflowIds: string[] = [];
  let receiver: RunningReceiver;
  /** A queue whose NotifyConfig points at the queue URL; `silentQueue` has none, so only the test posts for it. */
  let notifyQueue: string;
  let silentQueue: string;

  before(async () => {
    receiver = await startReceiver({
      secrets: [suite.stack.secrets.callbackSecret],
      queueTokens: [QUEUE_TOKEN],
      temporal: createTemporalClientFactory({
        connectionOptions: { address: suite.temporal.env.address },
        namespace: suite.temporal.env.namespace ?? 'default',
      }),
      logger: logs.logger,
    });
    notifyQueue = suite.stack.emulator.addQueue();
    silentQueue = suite.stack.emulator.addQueue();
    await setNotify('XML');
  });
  after(async () => {
    await receiver?.close();
  });

  /** Points `notifyQueue` at the receiver's queue URL, the way a user does once per queue. */
  async function setNotify(format: 'XML' | 'JSON'): Promise<void> {
    const Url = queueCallbackUrl(receiver.url, QUEUE_TOKEN);
    const notifyConfig = { State: 'On', Type: 'Url', Url, Event: 'TaskFinish', ResultFormat: format } as const;
    const queue = await suite.stack.clients.setup.updateQueue(notifyQueue, { notifyConfig });
    assert.equal(queue.notifyConfig?.ResultFormat, format);
  }

  async function start(input: Omit<TranscribeMediaInput, 'media' | 'recognition'>) {
    const key = `audio/${randomUUID()}.wav`;
    suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
    suite.stack.emulator.putObject(TEST_BUCKET, `${key}${TRANSCRIPT_SUFFIX}`, 'by the queue');
    const workflowId = `queue-cb-${randomUUID()}`;
    workflowIds.push(workflowId);
    return await suite.stack.client.workflow.start(transcribeMedia, {
      taskQueue: suite.stack.taskQueue,
      workflowId,
      args: [{ media: { object: key }, recognition, callback: { via: 'queue' }, ...input }],
    });
  }

  async function emulatedJob(jobId: string): Promise<EmulatedJobView> {
    const jobs = (await fetch(`${suite.stack.emulator.url}/_emulator/jobs`).then((r) => r.json())) as EmulatedJobView[];
    const job = jobs.find((j) => j.jobId === jobId);
    assert.ok(job, `the emulator knows job ${jobId}`);
    return job;
  }

  async function metric(name: string, labels: Record<string, string> = {}): Promise<number> {
    return sampleValue((await receiver.metrics.render()).body, name, labels) ?? 0;
  }

  /** Callback messages in the run's history, counted at the source. */
  async function callbackEvents(workflowId: string): Promise<number> {
    const events = (await fetchHistory(suite.stack.client, workflowId)).events ?? [];
    return events.filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionSignaledEventAttributes,
    ).length;
  }

  const gets = () => suite.stack.emulator.counters().requests['GET /asr_jobs/:ids'] ?? 0;

  for (const format of ['XML', 'JSON'] as const) {
    it(
      `completes transcribeMedia from the queue's ${format} callback, with no CallBack on the job and no poll`,
      TIMEOUT,
      async () => {
        await setNotify(format);
        const accepted = await metric('ci_callback_accepted_total');
        const before = gets();
        // Polling an hour away: only the queue callback can complete this run within the test.
        const handle = await start({ queueId: notifyQueue, polling: { firstDelay: '1 hour', maxInterval: '2 hours' } });
        const result = await handle.result();
        assert.equal(result.completedBy, 'callback');
        const status = await handle.query(transcriptionStatusQuery);
        assert.equal(status.polls, 0);
        assert.equal(gets() - before, 1, 'one confirming get, no poll');
        const job = await emulatedJob(result.jobId);
        assert.equal(job.callbackUrl, undefined, 'the job was submitted without its own CallBack');
        assert.match(job.userData, /^temporal-asr:v1:/);
        assert.equal((await metric('ci_callback_accepted_total')) - accepted, 1, 'the queue receiver delivered it');
        assert.equal(await callbackEvents(handle.workflowId), 1, 'one callback update in the history');
      },
    );
  }

  it(
    'refuses a wrong or missing queue token (counted, nothing in the history); the right one delivers',
    TIMEOUT,
    async () => {
      const handle = await start({ queueId: silentQueue, polling: { firstDelay: '1 hour', maxInterval: '2 hours' } });
      const jobId = await waitFor('the job id', async () => (await handle.query(transcriptionStatusQuery)).jobId);
      const { userData } = await emulatedJob(jobId);
      const body = xmlNotification([{ jobId, state: 'Success', userData }]);
      const invalid = await metric('ci_callback_rejected_total', { reason: 'token_invalid' });
      const missing = await metric('ci_callback_rejected_total', { reason: 'token_missing' });
      const forged = await postCallback(`${receiver.url}/ci/queue?token=${QUEUE_TOKEN.slice(0, -1)}x`, body);
      assert.equal(forged.status, 403);
      assert.deepEqual(JSON.parse(forged.body), { error: 'token_invalid' });
      const bare = await postCallback(`${receiver.url}/ci/queue`, body);
      assert.equal(bare.status, 401);
      // The callback secret is not a queue token.
      const secret = await postCallback(`${receiver.url}/ci/queue?token=${suite.stack.secrets.callbackSecret}`, body);
      assert.equal(secret.status, 403);
      assert.equal((await metric('ci_callback_rejected_total', { reason: 'token_invalid' })) - invalid, 2);
      assert.equal((await metric('ci_callback_rejected_total', { reason: 'token_missing' })) - missing, 1);
      assert.equal(await callbackEvents(handle.workflowId), 0, 'no refused callback reached the history');
      assert.equal((await handle.query(transcriptionStatusQuery)).callbacksReceived, 0);

      // CI calls back once a job has ended; a callback for a job still running would only make the run check early.
      await waitFor('the job to succeed', async () => {
        const [job] = (await suite.stack.clients.ci.get([jobId])).jobs;
        return job?.State === 'Success' ? true : undefined;
      });
      const genuine = await postCallback(`${receiver.url}/ci/queue?token=${QUEUE_TOKEN}`, body);
      assert.equal(genuine.status, 200);
      assert.deepEqual(JSON.parse(genuine.body), { accepted: 1 });
      assert.equal((await handle.result()).completedBy, 'callback');
    },
  );

  it(
    "answers 503 for a job of ours no workflow lists (so CI redelivers), 200 for other applications' jobs",
    TIMEOUT,
    async () => {
      const url = `${receiver.url}/ci/queue?token=${QUEUE_TOKEN}`;
      const notFound = await metric('ci_callback_entries_total', { verdict: 'job_not_found' });
      const unknown = xmlNotification([
        {
          jobId: `s${randomBytes(16).toString('hex')}`,
          state: 'Success',
          userData: `temporal-asr:v1:${'0'.repeat(40)}`,
        },
      ]);
      const answer = await postCallback(url, unknown);
      assert.equal(answer.status, 503);
      assert.equal(answer.headers['retry-after'], '2');
      assert.deepEqual(JSON.parse(answer.body), { error: 'job_not_found' });
      assert.equal((await metric('ci_callback_entries_total', { verdict: 'job_not_found' })) - notFound, 1);

      const notOurs = await metric('ci_callback_entries_total', { verdict: 'not_ours' });
      const theirs = xmlNotification([
        { jobId: `s${randomBytes(16).toString('hex')}`, state: 'Success', userData: 'x' },
      ]);
      const ignored = await postCallback(url, theirs);
      assert.equal(ignored.status, 200);
      assert.deepEqual(JSON.parse(ignored.body), { accepted: 0, ignored: 1 });
      assert.equal((await metric('ci_callback_entries_total', { verdict: 'not_ours' })) - notOurs, 1);
    },
  );

  it(
    'a queue callback sent before the submit returned is answered 503 each time; the run completes by its poll',
    TIMEOUT,
    async () => {
      const notFound = await metric('ci_callback_entries_total', { verdict: 'job_not_found' });
      suite.stack.emulator.setFaults({ callbackEarlyShare: 1 });
      try {
        const handle = await start({ queueId: notifyQueue, polling: { firstDelay: '1s' } });
        const result = await handle.result();
        // CI (the emulator) delivered while its submit answer was held back, so the run had no CiJobId yet.
        assert.equal(result.completedBy, 'poll');
        assert.equal(await callbackEvents(handle.workflowId), 0);
      } finally {
        suite.stack.emulator.setFaults({ callbackEarlyShare: 0 });
      }
      // Every attempt of the emulator (3, docs/emulator.md) was told to retry.
      assert.equal((await metric('ci_callback_entries_total', { verdict: 'job_not_found' })) - notFound, 3);
    },
  );

  it('keeps the queue token and the callback secret out of histories and logs', TIMEOUT, async () => {
    const secrets = [QUEUE_TOKEN, suite.stack.secrets.callbackSecret];
    await assertHistoriesSafe(suite.stack.client, workflowIds, secrets, suite.bundle);
    assert.ok(logs.lines.length > 0, 'the receiver logged something');
    for (const line of logs.lines) for (const secret of secrets) assert.ok(!line.includes(secret), 'a log line leaks');
  });
});
