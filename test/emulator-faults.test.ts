import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import type { EmulatorOptions, RunningEmulator } from '../src/emulator/index';
import { silentWav } from '../src/emulator/index';
import {
  at,
  BUCKET,
  getJobs,
  list,
  proxyClient,
  rawRequest,
  startCallbackReceiver,
  startTestEmulator,
  submit,
  submitXml,
  text,
  waitFor,
  waitForState,
} from './fixtures/emulator-helpers';

const xml = new XMLParser({ parseTagValue: false, ignoreDeclaration: true });
type Receiver = Awaited<ReturnType<typeof startCallbackReceiver>>;

describe('emulator faults, callbacks, admin API and persistence', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  async function emulatorWith(options: Partial<EmulatorOptions> = {}): Promise<RunningEmulator> {
    const emulator = await startTestEmulator(options);
    open.push(emulator);
    emulator.putObject(BUCKET, 'in/a.wav', silentWav(2));
    return emulator;
  }
  async function receiver(status?: () => number): Promise<Receiver> {
    const started = await startCallbackReceiver(status);
    open.push(started);
    return started;
  }
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function submitWithCallback(emulator: RunningEmulator, callback: string, extra: Record<string, unknown> = {}) {
    const answer = await submit(proxyClient(emulator), submitXml({ extra: { CallBack: callback, ...extra } }));
    return text(answer.Response, 'JobsDetail.JobId')!;
  }

  it('POSTs the XML callback (default) when a job ends', async () => {
    const emulator = await emulatorWith();
    const cb = await receiver();
    const jobId = await submitWithCallback(emulator, cb.url);
    const [received] = await waitFor(() => (cb.received.length > 0 ? cb.received : undefined));
    assert.equal(received?.contentType, 'application/xml');
    const parsed = xml.parse(received?.body ?? '') as unknown;
    assert.equal(text(parsed, 'Response.EventName'), 'TaskFinish');
    assert.equal(text(parsed, 'Response.JobsDetail.JobId'), jobId);
    assert.equal(text(parsed, 'Response.JobsDetail.State'), 'Success');
    assert.equal(text(parsed, 'Response.JobsDetail.Operation.SpeechRecognitionResult.AudioTime'), '2.000');
    // The emulator counts the delivery once it has read the receiver's answer, a moment after the receiver got it.
    await waitFor(() => (emulator.counters().callbacksDelivered === 1 ? true : undefined));
  });

  it('POSTs the JSON callback with JobsDetail as an array of string leaves', async () => {
    const emulator = await emulatorWith();
    const cb = await receiver();
    const jobId = await submitWithCallback(emulator, cb.url, { CallBackFormat: 'JSON' });
    const [received] = await waitFor(() => (cb.received.length > 0 ? cb.received : undefined));
    assert.equal(received?.contentType, 'application/json');
    const parsed = JSON.parse(received?.body ?? '') as unknown;
    assert.equal(text(parsed, 'EventName'), 'TaskFinish');
    const [detail] = list(parsed, 'JobsDetail');
    assert.ok(Array.isArray(at(parsed, 'JobsDetail')));
    assert.equal(text(detail, 'JobId'), jobId);
    assert.equal(text(detail, 'Operation.JobLevel'), '0');
    assert.match(
      text(detail, 'Operation.SpeechRecognitionResult.Result') ?? '',
      /^\[0:0\.000,0:2\.000\] \[emulated transcript\]/,
    );
  });

  it('retries a callback answered 5xx and sends nothing for CallBack "no"', async () => {
    const emulator = await emulatorWith();
    let calls = 0;
    const cb = await receiver(() => (++calls === 1 ? 503 : 200));
    await submitWithCallback(emulator, cb.url);
    await waitFor(() => (cb.received.length === 2 ? true : undefined));
    const silent = await submitWithCallback(emulator, 'no');
    const done = await waitForState(proxyClient(emulator), silent, ['Success', 'Failed']);
    assert.equal(text(done, 'State'), 'Success');
    assert.deepEqual([emulator.counters().callbacksSent, emulator.counters().callbacksDelivered], [2, 1]);
  });

  it('answers 500 InternalError on a route with serverErrorShare 1 (the SDK retries it 3 times)', async () => {
    const emulator = await emulatorWith({ faults: { routes: { 'POST /asr_jobs': { serverErrorShare: 1 } } } });
    const err = await submit(proxyClient(emulator), submitXml({})).catch((e: unknown) => e);
    assert.deepEqual([at(err, 'statusCode'), at(err, 'code')], [500, 'InternalError']);
    const counters = emulator.counters();
    assert.equal(counters.requests['POST /asr_jobs'], 4);
    assert.equal(counters.faultsInjected['POST /asr_jobs:5xx'], 4);
    assert.equal(counters.jobsCreated, 0);
  });

  it('throttles with 503 SlowDown and adds latency per route', async () => {
    const emulator = await emulatorWith({ faults: { routes: { 'GET /asr_jobs/:ids': { throttleShare: 1 } } } });
    const err = await getJobs(proxyClient(emulator), ['s1']).catch((e: unknown) => e);
    assert.deepEqual([at(err, 'statusCode'), at(err, 'code')], [503, 'SlowDown']);
    emulator.setFaults({ routes: { '*': { latencyMs: 150 } } });
    const started = Date.now();
    await getJobs(proxyClient(emulator), ['s1']);
    assert.ok(Date.now() - started >= 150);
    assert.equal(emulator.counters().faultsInjected['GET /asr_jobs/:ids:latency'], 1);
  });

  it('drops, duplicates and delays callbacks', async () => {
    const emulator = await emulatorWith({ faults: { callbackDropShare: 1 } });
    const cb = await receiver();
    const dropped = await submitWithCallback(emulator, cb.url);
    await waitForState(proxyClient(emulator), dropped, ['Success']);
    assert.equal(emulator.counters().faultsInjected['callback:drop'], 1);
    assert.equal(emulator.counters().callbacksSent, 0);

    emulator.setFaults({ callbackDropShare: 0, callbackDuplicateShare: 1 });
    const duplicated = await submitWithCallback(emulator, cb.url);
    await waitFor(() => (cb.received.length === 2 ? true : undefined));
    assert.equal(cb.received[0]?.body, cb.received[1]?.body);
    assert.match(cb.received[0]?.body ?? '', new RegExp(duplicated));

    emulator.setFaults({ callbackDuplicateShare: 0, callbackDelayMs: 300 });
    const delayed = await submitWithCallback(emulator, cb.url);
    const done = await waitForState(proxyClient(emulator), delayed, ['Success']);
    assert.equal(text(done, 'State'), 'Success');
    await waitFor(() => (cb.received.length === 3 ? true : undefined));
    // Read at the emulator, not from the test's clock (a loaded machine can notice the job's end late): the callback
    // was held back by the delay fault before it was sent.
    assert.equal(emulator.counters().faultsInjected['callback:delay'], 1, 'the callback was delayed');
    assert.match(cb.received[2]?.body ?? '', new RegExp(delayed));
  });

  it('delivers the callback before the submit response when asked to', async () => {
    const emulator = await emulatorWith({ faults: { callbackEarlyShare: 1 } });
    const cb = await receiver();
    const answer = await submit(proxyClient(emulator), submitXml({ extra: { CallBack: cb.url } }));
    assert.equal(cb.received.length, 1, 'callback already received when the submit answer arrives');
    assert.equal(text(answer.Response, 'JobsDetail.State'), 'Submitted');
    assert.match(cb.received[0]?.body ?? '', /<State>Success<\/State>/);
    await waitForState(proxyClient(emulator), text(answer.Response, 'JobsDetail.JobId')!, ['Success']);
    assert.equal(emulator.counters().callbacksSent, 1);
  });

  it('sends callbacks out of order within the reorder window', async () => {
    const emulator = await emulatorWith({ queueConcurrency: 1, faults: { callbackReorderWindow: 3 } });
    const cb = await receiver();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await submitWithCallback(emulator, cb.url));
    await waitFor(() => (cb.received.length === 3 ? true : undefined));
    const order = cb.received.map((r) => text(xml.parse(r.body), 'Response.JobsDetail.JobId'));
    assert.deepEqual(order, [...ids].reverse());
  });

  it('forces matching jobs to fail with the configured code', async () => {
    const emulator = await emulatorWith({
      faults: { failJobs: [{ code: 'InternalError', message: 'emulated outage', inputPattern: '/bad/' }] },
    });
    emulator.putObject(BUCKET, 'in/bad/b.wav', silentWav(1));
    const cos = proxyClient(emulator);
    const bad = text((await submit(cos, submitXml({ object: 'in/bad/b.wav' }))).Response, 'JobsDetail.JobId')!;
    const good = text((await submit(cos, submitXml({}))).Response, 'JobsDetail.JobId')!;
    const failed = await waitForState(cos, bad, ['Success', 'Failed']);
    assert.deepEqual(
      [text(failed, 'State'), text(failed, 'Code'), text(failed, 'Message')],
      ['Failed', 'InternalError', 'emulated outage'],
    );
    assert.equal(text(await waitForState(cos, good, ['Success', 'Failed']), 'State'), 'Success');
  });

  it('commits a submit whose response is lost; the SDK re-sends it and errors', async () => {
    const emulator = await emulatorWith({ faults: { loseSubmitResponses: 4 } });
    const cos = proxyClient(emulator);
    const err = await submit(cos, submitXml({ operation: { UserData: 'lost-4' } })).catch((e: unknown) => e);
    assert.equal(at(err, 'statusCode'), undefined);
    assert.match(String(at(err, 'code')), /ECONNRESET|socket hang up/i);
    assert.equal(emulator.counters().jobsByUserData['lost-4'], 4, 'every SDK attempt created a billed job');
    emulator.setFaults({ loseSubmitResponses: 1 });
    const answer = await submit(cos, submitXml({ operation: { UserData: 'lost-1' } }));
    assert.equal(answer.statusCode, 200);
    assert.equal(emulator.counters().jobsByUserData['lost-1'], 2, 'the SDK retry silently made a second job');
    assert.equal(emulator.counters().faultsInjected['submit:lostResponse'], 5);
  });

  it('exposes counters and faults through the admin API', async () => {
    const emulator = await emulatorWith();
    const health = await rawRequest(emulator.url, { method: 'GET', path: '/_emulator/healthz' });
    assert.deepEqual([health.status, JSON.parse(health.body)], [200, { ok: true }]);
    const put = await rawRequest(emulator.url, {
      method: 'PUT',
      path: '/_emulator/faults',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ routes: { 'GET object': { serverErrorShare: 1 } } }),
    });
    assert.equal(put.status, 200);
    const err = await proxyClient(emulator)
      .getObject({ Bucket: BUCKET, Region: 'ap-guangzhou', Key: 'in/a.wav' })
      .catch((e: unknown) => e);
    assert.equal(at(err, 'statusCode'), 500);
    const counters = JSON.parse(
      (await rawRequest(emulator.url, { method: 'GET', path: '/_emulator/counters' })).body,
    ) as unknown;
    assert.equal((counters as { requests: Record<string, number> }).requests['GET object'], 4);
    const bad = await rawRequest(emulator.url, {
      method: 'PUT',
      path: '/_emulator/faults',
      body: '{"callbackDropShare": 7}',
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /callbackDropShare/);
    assert.equal((await rawRequest(emulator.url, { method: 'DELETE', path: '/_emulator/faults' })).status, 200);
    assert.equal((await rawRequest(emulator.url, { method: 'POST', path: '/_emulator/reset-counters' })).status, 204);
    assert.deepEqual(emulator.counters().requests, {});
    const jobs = await rawRequest(emulator.url, { method: 'GET', path: '/_emulator/jobs' });
    assert.deepEqual(JSON.parse(jobs.body), []);
  });
});

describe('emulator persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps jobs and objects across a restart and resumes running jobs', async () => {
    const stateFile = join(dir, 'state.json');
    const timings = { queuedMs: 0, runningMs: 300 };
    const first = await startTestEmulator({ stateFile, timings });
    first.putObject(BUCKET, 'in/a.wav', silentWav(2));
    const cos = proxyClient(first);
    const finished = text(
      (await submit(cos, submitXml({ output: { Bucket: BUCKET, Region: 'ap-guangzhou', Object: 'p/1.txt' } })))
        .Response,
      'JobsDetail.JobId',
    )!;
    await waitForState(cos, finished, ['Success']);
    const running = text(
      (await submit(cos, submitXml({ output: { Bucket: BUCKET, Region: 'ap-guangzhou', Object: 'p/2.txt' } })))
        .Response,
      'JobsDetail.JobId',
    )!;
    await waitForState(cos, running, ['Running']);
    await first.close();

    const second = await startTestEmulator({ stateFile, timings });
    try {
      const again = proxyClient(second);
      assert.equal(text(await waitForState(again, finished, ['Success']), 'State'), 'Success');
      const resumed = await waitForState(again, running, ['Success', 'Failed']);
      assert.equal(text(resumed, 'State'), 'Success');
      const result = await again.getObject({ Bucket: BUCKET, Region: 'ap-guangzhou', Key: 'p/1.txt' });
      assert.match(result.Body.toString(), /emulated transcript/);
    } finally {
      await second.close();
    }
  });
});
