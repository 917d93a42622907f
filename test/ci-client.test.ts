import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import type { CiAsrClient } from '../src/ci/asr-client';
import COS from 'cos-nodejs-sdk-v5';
import { staticCredentials } from '../src/ci/credentials';
import { CiError, CiValidationError } from '../src/ci/errors';
import { createTencentClients } from '../src/tencent/clients';
import type { TencentClients } from '../src/tencent/clients';
import type { AsrJob, SubmitAsrJobRequest } from '../src/ci/types';
import { segmentsFromResult } from '../src/ci/result';
import { SigningSession } from '../src/ci/signing';
import { checkSdkSendsSubmitOnce } from '../src/ci/sdk-self-check';
import { submitRequestXml } from '../src/ci/xml-request';
import { waitFor } from './helpers/wait';
import { silentWav, startEmulator } from '../src/emulator';
import type { RunningEmulator } from '../src/emulator';

const credentials = { secretId: 'AKIDemulatorTestId', secretKey: 'emulatorTestKey' };
const BUCKET = 'demo-1250000000';
const REGION = 'ap-guangzhou';
const OUTPUT = { Region: REGION, Bucket: BUCKET, Object: 'out/result.txt' };

function clientsFor(
  emu: RunningEmulator,
  overrides: { secretId?: string; secretKey?: string; timeoutMs?: number } = {},
): TencentClients {
  return createTencentClients({ ...credentials, ...overrides, bucket: BUCKET, region: REGION, endpoint: emu.url });
}

function totalRequests(emu: RunningEmulator): number {
  return Object.values(emu.counters().requests).reduce((a, b) => a + b, 0);
}

function inline(objectKey: string, userData = randomUUID()): SubmitAsrJobRequest {
  return {
    Input: { Object: objectKey },
    Operation: {
      SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1, ResTextFormat: 1 },
      Output: OUTPUT,
      UserData: userData,
    },
  };
}

/** Polls `get` until the job satisfies `done`, failing after `timeoutMs`. */
async function waitForJob(
  ci: CiAsrClient,
  jobId: string,
  done: (job: AsrJob) => boolean,
  timeoutMs = 5000,
): Promise<AsrJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = (await ci.get([jobId])).jobs[0];
    if (job && done(job)) return job;
    if (Date.now() > deadline) assert.fail(`job ${jobId} still ${job?.State} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('CiAsrClient against the emulator (real SDK, proxy endpoint)', () => {
  let emu: RunningEmulator;
  let clients: TencentClients;
  before(async () => {
    emu = await startEmulator({
      credentials,
      defaultBucket: BUCKET,
      defaultRegion: REGION,
      // queuedMs 0: the emulator's queue timer can fire a millisecond before Date.now() says the wait is over, and
      // then the job is never started (reported to the emulator's owner).
      timings: { queuedMs: 0, runningMs: 50 },
      templates: { t1demo: { name: 'demo', speechRecognition: { EngineModelType: '16k_zh', ChannelNum: '1' } } },
    });
    emu.putObject(BUCKET, 'in/a.wav', silentWav(0.1));
    clients = clientsFor(emu);
  });
  afterEach(() => emu.setFaults({ routes: {}, loseSubmitResponses: 0 }));
  after(async () => {
    await emu?.close();
  });

  it('submits by object with inline parameters and reads the finished job back', async () => {
    const userData = randomUUID();
    const job = await clients.ci.submit(inline('in/a.wav', userData));
    assert.match(job.JobId, /^s[0-9a-f]{32}$/);
    assert.equal(job.State, 'Submitted');
    assert.equal(job.StartTime, undefined);
    assert.ok(job.CreationTime instanceof Date);
    assert.equal(job.Operation.UserData, userData);
    assert.equal(job.Operation.SpeechRecognition?.ChannelNum, 1);
    const done = await waitForJob(clients.ci, job.JobId, (j) => j.State === 'Success');
    const result = done.Operation.SpeechRecognitionResult;
    assert.ok(result);
    assert.equal(typeof result.AudioTime, 'number');
    assert.ok(Array.isArray(result.ResultDetail) && result.ResultDetail.length > 0);
    assert.ok(segmentsFromResult(result).length > 0);
    assert.ok(done.EndTime instanceof Date);
    assert.equal(emu.counters().jobsByUserData[userData], 1);
  });

  it('submits by URL and by template', async () => {
    const byUrl = await clients.ci.submit({
      Input: { Url: `https://${BUCKET}.cos.${REGION}.myqcloud.com/in/a.wav` },
      Operation: { TemplateId: 't1demo', Output: OUTPUT },
    });
    assert.equal(byUrl.Operation.TemplateId, 't1demo');
    assert.equal(byUrl.Operation.TemplateName, 'demo');
    const done = await waitForJob(clients.ci, byUrl.JobId, (j) => j.State === 'Success' || j.State === 'Failed');
    assert.equal(done.State, 'Success', `${done.Code}: ${done.Message}`);
  });

  it('gets several jobs in one request and reports the ids that do not exist', async () => {
    const a = await clients.ci.submit(inline('in/a.wav'));
    const b = await clients.ci.submit(inline('in/a.wav'));
    const before = emu.counters().requests['GET /asr_jobs/:ids'] ?? 0;
    const got = await clients.ci.get([a.JobId, 'sdoesnotexist', b.JobId]);
    assert.equal((emu.counters().requests['GET /asr_jobs/:ids'] ?? 0) - before, 1);
    assert.deepEqual(got.jobs.map((j) => j.JobId).sort(), [a.JobId, b.JobId].sort());
    assert.deepEqual(got.nonExistentJobIds, ['sdoesnotexist']);
    assert.deepEqual(await clients.ci.get(['snope']), { jobs: [], nonExistentJobIds: ['snope'] });
  });

  it('a job whose input object is missing ends Failed with a code and message', async () => {
    const job = await clients.ci.submit(inline(`missing/${randomUUID()}.wav`));
    const failed = await waitForJob(clients.ci, job.JobId, (j) => j.State === 'Failed');
    assert.notEqual(failed.Code, 'Success');
    assert.ok(failed.Message);
    assert.equal(failed.Operation.SpeechRecognitionResult, undefined);
  });

  it('lists with every filter', async () => {
    const ci = clients.ciFor({ bucket: 'filters-1250000000', region: REGION });
    emu.putObject('filters-1250000000', 'a.wav', silentWav(0.1));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await ci.submit(inline('a.wav'))).JobId);
    for (const id of ids) await waitForJob(ci, id, (j) => j.State === 'Success');
    const desc = await ci.list({ size: 100 });
    assert.deepEqual(
      desc.jobs.map((j) => j.JobId),
      [...ids].reverse(),
    );
    const asc = await ci.list({ orderByTime: 'Asc', states: ['Success'] });
    assert.deepEqual(
      asc.jobs.map((j) => j.JobId),
      ids,
    );
    const page = await ci.list({ size: 3, orderByTime: 'Asc' });
    assert.equal(page.jobs.length, 3);
    assert.ok(page.nextToken);
    const rest = await ci.list({ size: 3, orderByTime: 'Asc', nextToken: page.nextToken });
    assert.deepEqual(
      rest.jobs.map((j) => j.JobId),
      [ids[3]],
    );
    assert.equal(rest.nextToken, undefined);
    assert.deepEqual((await ci.list({ states: ['Running', 'Submitted'] })).jobs, []);
    const queueId = desc.jobs[0]!.QueueId!;
    assert.equal((await ci.list({ queueId, size: 100 })).jobs.length, 4);
    // CI refuses a queue the bucket does not have with its own code (error code 1106; ci-wire-facts rows 8, 30).
    await assert.rejects(ci.list({ queueId: `p${'9'.repeat(32)}` }), {
      name: 'CiError',
      code: 'QueueNotFound',
      retryable: false,
    });
    const now = Date.now();
    const window = { startCreationTime: new Date(now - 60_000), endCreationTime: new Date(now + 60_000), size: 100 };
    assert.equal((await ci.list(window)).jobs.length, 4);
    assert.deepEqual((await ci.list({ startCreationTime: new Date(now + 3_600_000) })).jobs, []);
  });

  it('listAll walks more than 100 jobs in pages of 100', async () => {
    const bucket = 'paging-1250000000';
    const ci = clients.ciFor({ bucket, region: REGION });
    emu.putObject(bucket, 'a.wav', silentWav(0.1));
    const submitted = new Set<string>();
    for (let i = 0; i < 105; i++) submitted.add((await ci.submit(inline('a.wav'))).JobId);
    const before = emu.counters().requests['GET /asr_jobs'] ?? 0;
    const seen: string[] = [];
    for await (const job of ci.listAll()) seen.push(job.JobId);
    assert.equal(seen.length, 105);
    assert.deepEqual(new Set(seen), submitted);
    assert.equal((emu.counters().requests['GET /asr_jobs'] ?? 0) - before, 2);
  });

  it('rejects bad input to every function before any request', async () => {
    const before = totalRequests(emu);
    const bad = { Input: {}, Operation: { Output: OUTPUT } } as unknown as SubmitAsrJobRequest;
    await assert.rejects(clients.ci.submit(bad), CiValidationError);
    await assert.rejects(clients.ci.get([]), CiValidationError);
    await assert.rejects(clients.ci.get(['a,b']), CiValidationError);
    await assert.rejects(clients.ci.list({ size: 101 }), CiValidationError);
    await assert.rejects(clients.ci.listAll({ states: [] }).next(), CiValidationError);
    await assert.rejects(clients.ci.cancel('a/b'), CiValidationError);
    const aborted = AbortSignal.abort(new Error('stopped'));
    await assert.rejects(clients.ci.submit(inline('in/a.wav'), { signal: aborted }), /stopped/);
    assert.equal(totalRequests(emu), before);
  });

  it('classifies auth failures as permanent CiErrors with code and request id, without leaking the key', async () => {
    const wrongKey = clientsFor(emu, { secretKey: 'wrongEmulatorKey' });
    const created = emu.counters().jobsCreated;
    const err: unknown = await wrongKey.ci.submit(inline('in/a.wav')).catch((e: unknown) => e);
    assert.ok(err instanceof CiError, String(err));
    // CI's own signature code on the CI host (row 20); with fixed keys it is permanent.
    assert.equal(err.code, 'InvalidAuthorization');
    assert.equal(err.statusCode, 401);
    assert.equal(err.retryable, false);
    assert.equal(err.outcomeUnknown, false);
    assert.ok(err.requestId);
    assert.doesNotMatch(err.message, /wrongEmulatorKey|emulatorTestKey/);
    assert.equal(emu.counters().jobsCreated, created);
    const wrongId = clientsFor(emu, { secretId: 'AKIDunknownId' });
    await assert.rejects(wrongId.ci.get(['s1']), { name: 'CiError', code: 'SecretidNotExist', retryable: false });
  });

  it('never re-sends a submit answered with 5xx (exactly one request, no job), while GETs are retried', async () => {
    emu.setFaults({
      routes: { 'POST /asr_jobs': { serverErrorShare: 1 }, 'GET /asr_jobs/:ids': { serverErrorShare: 1 } },
    });
    const before = emu.counters();
    const userData = randomUUID();
    let sends = 0;
    const err: unknown = await clients.ci
      .submit(inline('in/a.wav', userData), { onSend: () => sends++ })
      .catch((e: unknown) => e);
    assert.ok(err instanceof CiError);
    assert.deepEqual([err.code, err.statusCode, err.retryable, err.outcomeUnknown], ['InternalError', 500, true, true]);
    assert.equal(sends, 1, 'one signed submit');
    const afterSubmit = emu.counters();
    assert.equal((afterSubmit.requests['POST /asr_jobs'] ?? 0) - (before.requests['POST /asr_jobs'] ?? 0), 1);
    assert.equal(afterSubmit.jobsCreated, before.jobsCreated);
    assert.equal(afterSubmit.jobsByUserData[userData], undefined);
    await assert.rejects(clients.ci.get(['s1']), { name: 'CiError', code: 'InternalError', retryable: true });
    const gets = (emu.counters().requests['GET /asr_jobs/:ids'] ?? 0) - (before.requests['GET /asr_jobs/:ids'] ?? 0);
    assert.equal(gets, 4, 'the SDK makes 4 attempts for an idempotent GET');
  });

  it('a stream body is sent once where a buffer is re-sent 4 times, and the start-time self-check says so', async () => {
    emu.setFaults({ routes: { 'POST /asr_jobs': { serverErrorShare: 1 } } });
    const before = emu.counters().requests['POST /asr_jobs'] ?? 0;
    const session = new SigningSession(staticCredentials(credentials));
    const cos = new COS({ ...session.cosOptions(), Proxy: emu.url, Protocol: 'http:', AutoSwitchHost: false });
    await new Promise<void>((resolve) => {
      const Body = Buffer.from(submitRequestXml(inline('in/a.wav')));
      const Url = `http://${BUCKET}.ci.${REGION}.myqcloud.com/asr_jobs`;
      cos.request({ Bucket: BUCKET, Region: REGION, Method: 'POST', Url, Body }, () => resolve());
    });
    const sent = (emu.counters().requests['POST /asr_jobs'] ?? 0) - before;
    assert.equal(sent, 4, 'the SDK re-sends a buffer body: why submits go out as a stream');
    assert.deepEqual(await checkSdkSendsSubmitOnce(), { sends: 1 });
  });

  it('a throttled submit is retryable with a known outcome and is sent once', async () => {
    emu.setFaults({ routes: { 'POST /asr_jobs': { throttleShare: 1 } } });
    const before = emu.counters().requests['POST /asr_jobs'] ?? 0;
    await assert.rejects(clients.ci.submit(inline('in/a.wav')), {
      name: 'CiError',
      code: 'SlowDown',
      retryable: true,
      outcomeUnknown: false,
    });
    assert.equal((emu.counters().requests['POST /asr_jobs'] ?? 0) - before, 1);
  });

  it('a submit whose response is lost reports outcomeUnknown; the one job it made can be found by UserData', async () => {
    emu.setFaults({ loseSubmitResponses: 1 });
    const before = emu.counters();
    const userData = randomUUID();
    const err: unknown = await clients.ci.submit(inline('in/a.wav', userData)).catch((e: unknown) => e);
    assert.ok(err instanceof CiError, String(err));
    assert.equal(err.statusCode, undefined);
    assert.equal(err.retryable, true);
    assert.equal(err.outcomeUnknown, true);
    const after = emu.counters();
    assert.equal((after.requests['POST /asr_jobs'] ?? 0) - (before.requests['POST /asr_jobs'] ?? 0), 1);
    assert.equal(after.jobsByUserData[userData], 1);
    let found: AsrJob | undefined;
    for await (const job of clients.ci.listAll()) if (job.Operation.UserData === userData) found = job;
    assert.ok(found, 'the committed job is listed');
  });

  it('times out slow requests: a submit once (outcome unknown), a GET with SDK retries', async () => {
    const slow = clientsFor(emu, { timeoutMs: 150 });
    emu.setFaults({ routes: { 'POST /asr_jobs': { latencyMs: 1000 }, 'GET /asr_jobs/:ids': { latencyMs: 1000 } } });
    const before = emu.counters().requests;
    const err: unknown = await slow.ci.submit(inline('in/a.wav')).catch((e: unknown) => e);
    assert.ok(err instanceof CiError, String(err));
    assert.match(err.code, /TIMEDOUT/);
    assert.equal(err.outcomeUnknown, true);
    assert.equal(err.retryable, true);
    await assert.rejects(slow.ci.get(['s1']), { name: 'CiError', retryable: true, code: /TIMEDOUT/ });
    const now = emu.counters().requests;
    assert.equal((now['POST /asr_jobs'] ?? 0) - (before['POST /asr_jobs'] ?? 0), 1);
    assert.equal((now['GET /asr_jobs/:ids'] ?? 0) - (before['GET /asr_jobs/:ids'] ?? 0), 4);
  });

  it('an abort while a submit is in flight rejects with the abort reason', async () => {
    emu.setFaults({ routes: { 'POST /asr_jobs': { latencyMs: 500 } } });
    const controller = new AbortController();
    const pending = clients.ci.submit(inline('in/a.wav'), { signal: controller.signal });
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 50);
    await assert.rejects(pending, (e) => e === reason);
  });

  it('an abort after the submit body was written closes the connection, not just the body stream', async () => {
    // A CI that reads the whole request and never answers: only an aborted socket ends the request.
    let closed = false;
    let received = false;
    const server = createServer((req) => {
      req.resume();
      req.on('end', () => (received = true));
      req.socket.on('close', () => (closed = true));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const silent = createTencentClients({
        ...credentials,
        bucket: BUCKET,
        region: REGION,
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        queueId: 'p0123456789abcdef0123456789abcdef',
        timeoutMs: 600_000,
      });
      const controller = new AbortController();
      const pending = silent.ci.submit(inline('in/a.wav'), { signal: controller.signal });
      await waitFor('the whole request at the server', () => (received ? true : undefined));
      const reason = new Error('attempt deadline');
      controller.abort(reason);
      await assert.rejects(pending, (e) => e === reason);
      await waitFor('the connection closed by the client', () => (closed ? true : undefined), 30_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('CiAsrClient.cancel against the emulator', () => {
  let emu: RunningEmulator;
  let clients: TencentClients;
  before(async () => {
    // One job runs at a time and for a long time: the first job is Running, the next ones wait in Submitted.
    emu = await startEmulator({
      credentials,
      defaultBucket: BUCKET,
      defaultRegion: REGION,
      queueConcurrency: 1,
      timings: { queuedMs: 0, runningMs: 60_000 },
    });
    emu.putObject(BUCKET, 'in/a.wav', silentWav(0.1));
    clients = clientsFor(emu);
  });
  after(async () => {
    await emu?.close();
  });

  it('cancels a job that has not started, refuses one that runs, and reports unknown ids', async () => {
    const running = await clients.ci.submit(inline('in/a.wav'));
    await waitForJob(clients.ci, running.JobId, (j) => j.State === 'Running');
    const waiting = await clients.ci.submit(inline('in/a.wav'));
    assert.equal((await clients.ci.get([waiting.JobId])).jobs[0]?.State, 'Submitted');

    assert.deepEqual(await clients.ci.cancel(waiting.JobId), { outcome: 'cancelled', jobId: waiting.JobId });
    const cancelled = (await clients.ci.get([waiting.JobId])).jobs[0];
    assert.equal(cancelled?.State, 'Cancel');
    assert.deepEqual(await clients.ci.cancel(waiting.JobId), { outcome: 'cancelled', jobId: waiting.JobId });

    assert.deepEqual(await clients.ci.cancel(running.JobId), {
      outcome: 'not-cancellable',
      jobId: running.JobId,
      state: 'Running',
      code: 'InvalidArgument',
    });
    assert.deepEqual(await clients.ci.cancel('sdoesnotexist'), { outcome: 'not-found', jobId: 'sdoesnotexist' });
    assert.equal(emu.counters().requests['PUT /jobs/:id?cancel'], 4);
  });

  it('cancel errors other than a refusal are thrown', async () => {
    emu.setFaults({ routes: { 'PUT /jobs/:id?cancel': { serverErrorShare: 1 } } });
    try {
      await assert.rejects(clients.ci.cancel('sabc'), { name: 'CiError', code: 'InternalError', retryable: true });
    } finally {
      emu.setFaults({ routes: {} });
    }
  });
});
