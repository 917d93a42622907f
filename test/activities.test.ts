import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { WorkerMetric } from '../src/observability/metric-names';
import { createActivities } from '../src/activities/create-activities';
import type { CiJobsApi } from '../src/activities/deps';
import type { SubmitJobInput } from '../src/contract';
import { verifyCallbackToken } from '../src/callback/token';
import type { LocalServices } from '../devstack/local-services';
import { startLocalServices } from '../devstack/local-services';
import { silentWav } from '../src/emulator';
import { FailureType } from '../src/shared/failure-types';
import { createTencentClients } from '../src/tencent/clients';
import { resolveTranscribeMediaInput } from '../src/workflows/transcribe-media/input';
import { RecordingMeter } from './helpers/recording-meter';
import { waitFor } from './helpers/wait';

describe('activities against the CI emulator', () => {
  let services: LocalServices;
  let activities: ReturnType<typeof createActivities>;

  before(async () => {
    // The receiver is not needed here: callback URLs are only minted, never called.
    services = await startLocalServices({
      temporal: { address: '127.0.0.1:1', namespace: 'default' },
      callbacks: false,
      emulator: { timings: { queuedMs: 60_000, runningMs: 100 } },
    });
    activities = createActivities({
      ...services.deps,
      callbacks: { publicBaseUrl: 'https://callbacks.example.com/', secret: services.secrets.callbackSecret },
    });
  });
  after(async () => {
    await services?.stop();
  });

  function submitInput(key: string, callback = true): SubmitJobInput {
    const resolved = resolveTranscribeMediaInput({
      media: { object: key },
      recognition: { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } },
      callback: { enabled: callback },
    });
    assert.ok(resolved.ok);
    return {
      step: 'transcribe',
      request: resolved.value,
      callbackExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    };
  }

  /** Runs an activity in a mock context; `run`'s generic signature loses the return type, so it is restored here. */
  function runIn<R>(env: MockActivityEnvironment, work: () => Promise<R>): Promise<R> {
    return env.run<[], R, () => Promise<R>>(work);
  }

  const runIds = new Map<string, string>();

  /** An activity context of one attempt of `workflowId`'s submit (same run id for every attempt, like Temporal). */
  function envFor(
    workflowId: string,
    attempt: number,
    startToCloseTimeoutMs = 60_000,
    metricMeter?: RecordingMeter,
  ): MockActivityEnvironment {
    if (!runIds.has(workflowId)) runIds.set(workflowId, randomUUID());
    return new MockActivityEnvironment(
      {
        attempt,
        namespace: 'default',
        scheduledTimestampMs: Date.now() - 1_000,
        currentAttemptScheduledTimestampMs: Date.now() - 1_000,
        startToCloseTimeoutMs,
        // The mock's default (1 s) would end every attempt at once: an hour, as a run's remaining budget.
        scheduleToCloseTimeoutMs: 3_600_000,
        workflowExecution: { workflowId, runId: runIds.get(workflowId)! },
      },
      { metricMeter },
    );
  }

  it('a retried attempt adopts the job the first attempt created; another workflow gets its own job', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const workflowId = `wf-${randomUUID()}`;
    const first = await runIn(envFor(workflowId, 1), () => activities.submitTranscriptionJob(submitInput(key)));
    const retried = await runIn(envFor(workflowId, 2), () => activities.submitTranscriptionJob(submitInput(key)));
    assert.equal(first.adopted, false);
    assert.equal(retried.adopted, true);
    assert.equal(retried.jobId, first.jobId);
    const other = await runIn(envFor(`wf-${randomUUID()}`, 2), () =>
      activities.submitTranscriptionJob(submitInput(key)),
    );
    assert.notEqual(other.jobId, first.jobId);
    assert.equal(services.emulator.counters().jobsByInputObject[`${services.bucket}/${key}`], 2);
  });

  it('a continued run’s cleanup finds the step’s jobs by the chain’s first run id, not its own', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const workflowId = `wf-${randomUUID()}`;
    const submitted = await runIn(envFor(workflowId, 1), () => activities.submitTranscriptionJob(submitInput(key)));
    const firstRunId = runIds.get(workflowId)!;
    // The continued run has a run id of its own; a job from a chain begun before the patch carries no tag.
    runIds.set(workflowId, randomUUID());
    const { request } = submitInput(key);
    const cleanup = (runId?: string) =>
      runIn(envFor(workflowId, 1), () =>
        activities.cleanUpStepJobs({ step: 'transcribe', request, sinceMs: Date.now() - 60_000, runId }),
      );
    const own = await cleanup();
    assert.notEqual(own.tag, submitted.tag, 'the continued run’s own id names another tag');
    assert.deepEqual([own.cancelled, own.uncancelled], [[], []]);
    const chain = await cleanup(firstRunId);
    assert.equal(chain.tag, submitted.tag);
    assert.deepEqual(chain.cancelled, [submitted.jobId]);
  });

  it('a cleanup retried after a lost attempt keeps that attempt’s findings and does not wait all over again', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const workflowId = `wf-${randomUUID()}`;
    const submitted = await runIn(envFor(workflowId, 1), () => activities.submitTranscriptionJob(submitInput(key)));
    const { request } = submitInput(key);
    // What a first attempt, killed during its settle wait 20 s ago, recorded: a job it cancelled then.
    const heartbeatDetails = { firstLookAtMs: Date.now() - 20_000, cancelled: ['earlier-job'], uncancelled: [] };
    const env = new MockActivityEnvironment({
      attempt: 2,
      namespace: 'default',
      scheduledTimestampMs: Date.now() - 30_000,
      currentAttemptScheduledTimestampMs: Date.now(),
      startToCloseTimeoutMs: 60_000,
      scheduleToCloseTimeoutMs: 3_600_000,
      heartbeatDetails,
      workflowExecution: { workflowId, runId: runIds.get(workflowId)! },
    });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    const lists = () => services.emulator.counters().requests['GET /asr_jobs'] ?? 0;
    const listsBefore = lists();
    const report = await runIn(env, () =>
      activities.cleanUpStepJobs({ step: 'transcribe', request, sinceMs: Date.now() - 60_000 }),
    );
    assert.deepEqual(report.cancelled.sort(), ['earlier-job', submitted.jobId].sort());
    assert.equal(lists() - listsBefore, 1, 'the settle time had passed since the first look: one look, no second');
    assert.deepEqual(heartbeats, [
      { firstLookAtMs: heartbeatDetails.firstLookAtMs, cancelled: report.cancelled, uncancelled: [] },
    ]);
  });

  /** The activities with every `list` page's creation-time window recorded, and `submit` wrapped when given. */
  function watchedActivities(submitWith?: (ci: CiJobsApi) => CiJobsApi['submit']) {
    const windows: { start: number; end: number }[] = [];
    const watched = createActivities({
      ...services.deps,
      ciFor: (target) => {
        const ci = services.deps.ciFor(target);
        return {
          submit: submitWith ? submitWith(ci) : ci.submit.bind(ci),
          get: ci.get.bind(ci),
          cancel: ci.cancel.bind(ci),
          list: (filter, options) => {
            windows.push({ start: filter.startCreationTime!.getTime(), end: filter.endCreationTime!.getTime() });
            return ci.list(filter, options);
          },
        };
      },
    });
    return { watched, windows };
  }

  const listRequests = () => services.emulator.counters().requests['GET /asr_jobs'] ?? 0;

  it('a first attempt whose submit went out once lists nothing; a retry looks back past the step start', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const { watched, windows } = watchedActivities();
    const workflowId = `wf-${randomUUID()}`;
    const listsBefore = listRequests();
    const first = await runIn(envFor(workflowId, 1), () => watched.submitTranscriptionJob(submitInput(key, false)));
    assert.equal(listRequests() - listsBefore, 0, 'CI saw no list request from the first attempt');
    assert.equal(windows.length, 0, 'and the activity asked for no page');
    assert.equal(first.adopted, false);
    const retried = await runIn(envFor(workflowId, 2), () => watched.submitTranscriptionJob(submitInput(key, false)));
    assert.equal(retried.jobId, first.jobId, 'the retry adopts it');
    assert.ok(windows.length >= 1);
    assert.ok(windows[0]!.end - windows[0]!.start >= 10 * 60_000, 'a retry looks back with the clock-skew slack');
  });

  it('a first attempt absorbs a throttled send (no job made by it) and still lists nothing', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const posts = () => services.emulator.counters().requests['POST /asr_jobs'] ?? 0;
    const { watched, windows } = watchedActivities((ci) => {
      let sends = 0;
      return async (request, options) => {
        // CI throttles the first send only.
        services.emulator.setFaults({ routes: sends++ === 0 ? { 'POST /asr_jobs': { throttleShare: 1 } } : {} });
        return ci.submit(request, options);
      };
    });
    const [postsBefore, listsBefore] = [posts(), listRequests()];
    try {
      const submitted = await runIn(envFor(`wf-${randomUUID()}`, 1), () =>
        watched.submitTranscriptionJob(submitInput(key, false)),
      );
      assert.equal(submitted.adopted, false);
    } finally {
      services.emulator.setFaults({ routes: {} });
    }
    assert.equal(posts() - postsBefore, 2, 'the throttled send and the accepted one');
    assert.equal(services.emulator.counters().jobsByInputObject[`${services.bucket}/${key}`], 1);
    assert.equal(listRequests() - listsBefore, 0);
    assert.equal(windows.length, 0);
  });

  it('a first attempt whose submit went out twice sweeps the seconds around its job and cancels the copy', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const jobsFor = () => services.emulator.counters().jobsByInputObject[`${services.bucket}/${key}`] ?? 0;
    // What an SDK that re-sent a submit would do: two signed POSTs, CI answering the second.
    const { watched, windows } = watchedActivities((ci) => async (request, options) => {
      await ci.submit(request, options);
      return ci.submit(request, options);
    });
    const first = await runIn(envFor(`wf-${randomUUID()}`, 1), () =>
      watched.submitTranscriptionJob(submitInput(key, false)),
    );
    assert.equal(jobsFor(), 2, 'two jobs were billed');
    assert.equal(windows.length, 1, 'one sweep page');
    const created = Date.parse(first.createdAt);
    const [sweep] = windows;
    assert.ok(sweep!.start <= created && sweep!.end >= created, 'the window holds the kept job');
    assert.ok(sweep!.end - sweep!.start <= 20_000, `a window of seconds, not minutes: ${sweep!.end - sweep!.start} ms`);
    // Both were created within CI's one-second CreationTime resolution: which one is kept is decided by job id.
    assert.deepEqual(
      first.duplicates?.map((d) => [d.cancel, d.jobId === first.jobId]),
      [['cancelled', false]],
      'the other job is cancelled',
    );
  });

  it('when CI answers slower than an attempt, keeps the first job and cancels the late duplicate', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const workflowId = `wf-${randomUUID()}`;
    const jobsFor = () => services.emulator.counters().jobsByInputObject[`${services.bucket}/${key}`] ?? 0;
    services.emulator.setFaults({ routes: { 'POST /asr_jobs': { latencyMs: 1_500 } } });
    try {
      // Attempts 1 and 2 give up after 1 s (3 s attempt timeout minus the margin); CI commits each job at 1.5 s.
      for (const attempt of [1, 2]) {
        const failed = await runIn(envFor(workflowId, attempt, 3_000), () =>
          activities.submitTranscriptionJob(submitInput(key)),
        ).then(
          () => false,
          () => true,
        );
        assert.equal(failed, true, `attempt ${attempt} should have given up`);
      }
      await waitFor('both late jobs', () => (jobsFor() === 2 ? true : undefined));
    } finally {
      services.emulator.setFaults({ routes: {} });
    }
    const meter = new RecordingMeter();
    const kept = await runIn(envFor(workflowId, 3, 60_000, meter), () =>
      activities.submitTranscriptionJob(submitInput(key)),
    );
    assert.equal(kept.adopted, true);
    assert.equal(meter.total(WorkerMetric.duplicateJobs, { outcome: 'cancelled' }), 1);
    assert.equal(meter.total(WorkerMetric.duplicateJobs), 1);
    assert.equal(jobsFor(), 2, 'attempt 3 submitted nothing');
    const all = (await fetch(`${services.emulator.url}/_emulator/jobs`).then((r) => r.json())) as {
      jobId: string;
      state: string;
      input: { object?: string };
    }[];
    const mine = all.filter((job) => job.input.object === key);
    assert.deepEqual(
      mine.map((job) => job.state).sort(),
      ['Cancel', 'Submitted'],
      'the duplicate is cancelled, the kept job still waits',
    );
    assert.equal(mine.find((job) => job.state === 'Submitted')?.jobId, kept.jobId);
  });

  it('every lookup names a queue without CI_QUEUE_ID: adoption, sweep and cleanup lists all pass a strict CI', async () => {
    // The emulator refuses a list without queueId, as DescribeSpeechJobs documents it.
    const bare = createTencentClients({
      secretId: services.secrets.secretId,
      secretKey: services.secrets.secretKey,
      bucket: services.bucket,
      region: services.region,
      endpoint: services.emulator.url,
      discoverQueue: false,
    });
    await assert.rejects(bare.ci.list({}), { name: 'CiError', code: 'InvalidArgument' });
    assert.equal(services.deps.defaults.queueId, undefined, 'the recommended setup: no configured queue');
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const workflowId = `wf-${randomUUID()}`;
    const lists = listRequests();
    // A retry that adopts (its lookup), a retry that submits and sweeps (two lookups), and the cleanup's lookup.
    const first = await runIn(envFor(workflowId, 1), () => activities.submitTranscriptionJob(submitInput(key, false)));
    const adopted = await runIn(envFor(workflowId, 2), () =>
      activities.submitTranscriptionJob(submitInput(key, false)),
    );
    assert.equal(adopted.jobId, first.jobId);
    const other = `wf-${randomUUID()}`;
    const swept = await runIn(envFor(other, 2), () => activities.submitTranscriptionJob(submitInput(key, false)));
    const { request } = submitInput(key);
    const report = await runIn(envFor(other, 1), () =>
      activities.cleanUpStepJobs({ step: 'transcribe', request, sinceMs: Date.now() - 60_000, tag: swept.tag }),
    );
    assert.equal(report.lookupError, undefined);
    assert.deepEqual(report.cancelled, [swept.jobId]);
    assert.ok(listRequests() - lists >= 4, 'every one of them listed, and CI answered');
  });

  it('storing a success never sweeps CI: no list request, the submit’s duplicates kept as they were', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    services.emulator.setFaults({ startJobsAtOnce: true });
    try {
      // A retried attempt's job: main's store ran a list-and-cancel sweep for such jobs.
      const job = await runIn(envFor(`wf-${randomUUID()}`, 2), () =>
        activities.submitTranscriptionJob(submitInput(key, false)),
      );
      const input = {
        job,
        media: { object: key },
        manifestKey: `out/${randomUUID()}.json`,
        completedBy: 'poll' as const,
        workflowStartedAt: new Date(Date.now() - 60_000).toISOString(),
      };
      const check = await waitFor('the stored success', async () => {
        const found = await runIn(envFor(`wf-${randomUUID()}`, 1), () => activities.checkTranscriptionJob(input));
        return found.result ? found : undefined;
      });
      const lists = listRequests();
      await runIn(envFor(`wf-${randomUUID()}`, 1), () => activities.checkTranscriptionJob(input));
      assert.equal(listRequests() - lists, 0, 'a store lists nothing');
      assert.equal(check.result?.duplicateJobs, undefined);
    } finally {
      services.emulator.setFaults({ startJobsAtOnce: false });
    }
  });

  it('a cleanup whose lookup stops at its page cap reports a lookupError, never "nothing found"', async () => {
    const endless = createActivities({
      ...services.deps,
      ciFor: (target) => {
        const ci = services.deps.ciFor(target);
        let page = 0;
        return {
          submit: ci.submit.bind(ci),
          get: ci.get.bind(ci),
          cancel: ci.cancel.bind(ci),
          // A busy queue: every page full of other applications' jobs, always with a next token.
          list: async () => {
            const other = { JobId: `s${page}`, State: 'Running', CreationTime: new Date(), Operation: {} };
            return Promise.resolve({ jobs: [other as never], nextToken: `t${page++}` });
          },
        };
      },
    });
    const { request } = submitInput('audio/none.wav');
    const report = await runIn(envFor(`wf-${randomUUID()}`, 1), () =>
      endless.cleanUpStepJobs({ step: 'transcribe', request, sinceMs: Date.now() - 60_000, tag: 'temporal-asr:v1:x' }),
    );
    assert.match(report.lookupError ?? '', /100 pages/);
  });

  it('gives CI a callback URL whose token the receiver accepts for this workflow only', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const workflowId = `wf-${randomUUID()}`;
    const job = await runIn(envFor(workflowId, 1), () => activities.submitTranscriptionJob(submitInput(key)));
    assert.equal(job.callbackRequested, true);
    const jobs = (await fetch(`${services.emulator.url}/_emulator/jobs`).then((r) => r.json())) as {
      jobId: string;
      callbackUrl?: string;
    }[];
    const url = new URL(jobs.find((j) => j.jobId === job.jobId)?.callbackUrl ?? 'https://missing/');
    assert.equal(url.origin, 'https://callbacks.example.com');
    assert.equal(url.pathname, `/ci/callback/v2/${Buffer.from(workflowId).toString('base64url')}`);
    const tag = url.searchParams.get('tag') ?? undefined;
    assert.match(tag ?? '', /^temporal-asr:v1:[0-9a-f]{40}$/, 'bound to the job tag');
    const verdict = (id: string) =>
      verifyCallbackToken({
        version: 2,
        workflowId: id,
        jobTag: tag,
        exp: url.searchParams.get('exp'),
        sig: url.searchParams.get('sig'),
        secrets: [services.secrets.callbackSecret],
        now: new Date(),
      });
    assert.equal(verdict(workflowId), 'valid');
    assert.equal(verdict(`${workflowId}-other`), 'invalid');
  });

  it('turns invalid CI parameters into a non-retryable InvalidTranscriptionInput before any request', async () => {
    const before = services.emulator.counters().requests['POST /asr_jobs'] ?? 0;
    const input = submitInput('a.wav');
    input.request.recognition = { speechRecognition: { EngineModelType: '16k_en', ChannelNum: 2 } };
    const err = await runIn(envFor(`wf-${randomUUID()}`, 1), () => activities.submitTranscriptionJob(input)).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, FailureType.InvalidTranscriptionInput);
    assert.equal(err.nonRetryable, true);
    assert.equal(services.emulator.counters().requests['POST /asr_jobs'] ?? 0, before);
  });

  it('cancels a waiting job and reports a missing one as a permanent failure', async () => {
    const key = `audio/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(1));
    const job = await runIn(envFor(`wf-${randomUUID()}`, 1), () =>
      activities.submitTranscriptionJob(submitInput(key, false)),
    );
    const env = new MockActivityEnvironment();
    const outcome = await runIn(env, () => activities.cancelTranscriptionJob(job));
    assert.equal(outcome.outcome, 'cancelled');
    assert.equal((await runIn(env, () => activities.getTranscriptionJob(job))).state, 'Cancel');
    const missing = { ...job, jobId: `s${'0'.repeat(32)}` };
    const err = await runIn(env, () => activities.getTranscriptionJob(missing)).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ApplicationFailure && err.nonRetryable);
  });

  it('sends transient CI failures back to Temporal for a retry', async () => {
    services.emulator.setFaults({ routes: { 'GET /asr_jobs/:ids': { serverErrorShare: 1 } } });
    try {
      const env = new MockActivityEnvironment();
      const err = await runIn(env, () =>
        activities.getTranscriptionJob({
          jobId: `s${'1'.repeat(32)}`,
          bucket: services.bucket,
          region: services.region,
        }),
      ).then(
        () => assert.fail('expected a failure'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof Error);
      assert.equal(err instanceof ApplicationFailure && err.nonRetryable, false);
    } finally {
      services.emulator.setFaults({ routes: {} });
    }
  });
});
