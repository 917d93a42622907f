import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { findFreePort } from '../devstack/free-port';
import type { RunningReceiver } from '../src/receiver/server';
import { startReceiver } from '../src/receiver/server';
import type { TemporalCalls } from './fixtures/receiver-helpers';
import {
  callbackUrl,
  captureLogger,
  countingTemporal,
  postCallback,
  send,
  TEST_PREVIOUS_SECRET,
  TEST_SECRET,
  xmlNotification,
} from './fixtures/receiver-helpers';
import { collectCiCallbacks, deliveredCallbacksQuery } from './fixtures/receiver-workflows';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';

describe('callback receiver on a real Temporal server', () => {
  let temporal: TemporalTestServer;
  let receiver: RunningReceiver;
  let calls: TemporalCalls;
  let worker: Worker;
  let workerDone: Promise<void>;
  const taskQueue = `receiver-${randomUUID()}`;
  const log = captureLogger();

  before(async () => {
    temporal = await startTemporalForTests();
    const counting = countingTemporal(temporal.env.address, temporal.env.namespace);
    calls = counting.calls;
    receiver = await startReceiver({
      secrets: [TEST_SECRET, TEST_PREVIOUS_SECRET],
      temporal: counting.factory,
      maxBodyBytes: 64 * 1024,
      requestTimeoutMs: 1_000,
      logger: log.logger,
    });
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/receiver-workflows'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    worker = await Worker.create({
      connection: temporal.env.nativeConnection,
      namespace: temporal.env.namespace,
      taskQueue,
      workflowBundle,
    });
    workerDone = worker.run();
  });

  after(async () => {
    await receiver?.close();
    worker?.shutdown();
    await workerDone;
    await temporal?.teardown();
  });

  const startCollector = (distinctJobs = 1) =>
    temporal.env.client.workflow.start(collectCiCallbacks, {
      taskQueue,
      workflowId: `collect-${randomUUID()}`,
      args: [distinctJobs],
    });

  /** Runs `fn` and asserts it caused no signal, update, query or describe call to Temporal. */
  async function untouched(fn: () => Promise<void>): Promise<void> {
    const before = { ...calls };
    await fn();
    assert.equal(calls.signal, before.signal, 'no signal reached Temporal');
    assert.equal(calls.update, before.update, 'no update reached Temporal');
    assert.equal(calls.query, before.query, 'no query reached Temporal');
    assert.equal(calls.describe, before.describe, 'no describe reached Temporal');
  }

  it('turns an XML callback into a signal the workflow receives', async () => {
    const handle = await startCollector();
    const job = { jobId: `s${randomUUID()}`, state: 'Failed', code: 'InternalError', message: 'a < b & "c"' };
    const res = await postCallback(callbackUrl(receiver.url, handle.workflowId), xmlNotification([job]), 'text/xml');
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { accepted: 1 });
    const [got] = await handle.result();
    assert.equal(got?.jobId, job.jobId);
    assert.equal(got?.state, 'Failed');
    assert.equal(got?.code, 'InternalError');
    assert.equal(got?.message, 'a < b & "c"');
    assert.ok(!Number.isNaN(Date.parse(got?.receivedAt ?? '')));
  });

  it('accepts JSON with an object JobsDetail and number leaves, without a Response wrapper', async () => {
    const handle = await startCollector();
    const body = { EventName: 'TaskFinish', JobsDetail: { JobId: 123456, State: 'Success', Code: 0, Message: '' } };
    const res = await postCallback(
      callbackUrl(receiver.url, handle.workflowId),
      JSON.stringify(body),
      'application/json',
    );
    assert.equal(res.status, 200);
    const [got] = await handle.result();
    assert.deepEqual(
      { ...got, receivedAt: undefined },
      { jobId: '123456', state: 'Success', code: '0', receivedAt: undefined },
    );
  });

  it('sends one signal per entry of an array JobsDetail, with a Response wrapper', async () => {
    const handle = await startCollector(2);
    const body = {
      Response: {
        EventName: 'TaskFinish',
        JobsDetail: [
          { JobId: 'job-a', State: 'Success', Code: 'Success' },
          { JobId: 'job-b', State: 'Cancel', Code: 'Success' },
        ],
      },
    };
    const res = await postCallback(
      callbackUrl(receiver.url, handle.workflowId),
      JSON.stringify(body),
      'application/json; charset=utf-8',
    );
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { accepted: 2 });
    const got = await handle.result();
    assert.deepEqual(
      got.map((c) => [c.jobId, c.state]),
      [
        ['job-a', 'Success'],
        ['job-b', 'Cancel'],
      ],
    );
  });

  it('refuses forged, missing, malformed and expired tokens without touching Temporal', async () => {
    const workflowId = `collect-${randomUUID()}`;
    const body = xmlNotification([{ jobId: 'j1', state: 'Success' }]);
    const good = new URL(callbackUrl(receiver.url, workflowId));
    const cases: [string, number][] = [
      [callbackUrl(receiver.url, workflowId, { secret: 'not-the-secret' }), 403],
      [callbackUrl(receiver.url, workflowId, { expiresAt: new Date(Date.now() - 1_000) }), 403],
      [`${receiver.url}${good.pathname}`, 401],
      [`${receiver.url}${good.pathname}?exp=${good.searchParams.get('exp')}`, 401],
      [`${receiver.url}${good.pathname}?exp=soon&sig=${good.searchParams.get('sig')}`, 403],
      [`${receiver.url}/ci/callback/other-workflow${good.search}`, 403],
      [`${receiver.url}${good.pathname}${good.search}&sig=${good.searchParams.get('sig')}`, 403],
    ];
    await untouched(async () => {
      for (const [url, status] of cases) {
        const res = await postCallback(url, body);
        assert.equal(res.status, status, url);
        assert.doesNotMatch(res.body, /secret|stack|at /i);
      }
    });
    for (const line of log.lines) {
      assert.ok(!line.includes(TEST_SECRET) && !line.includes(TEST_PREVIOUS_SECRET), 'no secret in logs');
      assert.ok(!line.includes(good.searchParams.get('sig') ?? '-'), 'no token in logs');
    }
  });

  it('accepts a URL minted with the previous secret (rotation)', async () => {
    const handle = await startCollector();
    const url = callbackUrl(receiver.url, handle.workflowId, { secret: TEST_PREVIOUS_SECRET });
    const res = await postCallback(url, xmlNotification([{ jobId: 'j-prev', state: 'Success' }]));
    assert.equal(res.status, 200);
    assert.equal((await handle.result())[0]?.jobId, 'j-prev');
  });

  it('answers 413 for a body over the limit, declared or streamed, and keeps serving', async () => {
    const url = callbackUrl(receiver.url, `wf-${randomUUID()}`);
    const big = `<Response>${'x'.repeat(200 * 1024)}</Response>`;
    await untouched(async () => {
      const declared = await send(url, { headers: { 'content-type': 'application/xml' }, body: big });
      assert.equal(declared.status, 413);
      const chunked = await send(url, {
        headers: { 'content-type': 'application/xml', 'transfer-encoding': 'chunked' },
        body: big,
      });
      assert.equal(chunked.status, 413);
    });
    assert.equal((await send(`${receiver.adminUrl}/healthz`, { method: 'GET' })).status, 200);
  });

  it('answers 415 for other content types, 400 for malformed or incomplete bodies', async () => {
    const url = callbackUrl(receiver.url, `wf-${randomUUID()}`);
    const cases: [string, string, number][] = [
      ['text/plain', xmlNotification([{ jobId: 'j', state: 'Success' }]), 415],
      ['application/xml; charset=latin1', xmlNotification([{ jobId: 'j', state: 'Success' }]), 415],
      ['application/x-www-form-urlencoded', 'a=b', 415],
      ['application/xml', '<Response><JobsDetail><JobId>j</JobId></Response>', 400],
      ['application/xml', 'not xml at all', 400],
      ['application/xml', '', 400],
      ['application/json', '{"JobsDetail":', 400],
      ['application/json', '{"JobsDetail":{"JobId":"j"}}', 400],
      ['application/json', '{"JobsDetail":{"JobId":"j","State":"Done"}}', 400],
      ['application/json', '{"JobsDetail":[]}', 400],
      ['application/json', '[1,2]', 400],
    ];
    await untouched(async () => {
      for (const [contentType, body, status] of cases) {
        assert.equal((await postCallback(url, body, contentType)).status, status, `${contentType} ${body}`);
      }
      const none = await send(url, { body: '{}' });
      assert.equal(none.status, 415);
    });
  });

  it('refuses DOCTYPE and entity tricks without expanding anything', async () => {
    const url = callbackUrl(receiver.url, `wf-${randomUUID()}`);
    const lol = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>';
    const xxe = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>';
    await untouched(async () => {
      for (const prolog of [lol, xxe, '<!doctype r>']) {
        const body = `<?xml version="1.0"?>${prolog}<Response><JobsDetail><JobId>&lol2;&x;</JobId><State>Success</State></JobsDetail></Response>`;
        const res = await postCallback(url, body);
        assert.equal(res.status, 400);
        assert.deepEqual(JSON.parse(res.body), { error: 'doctype' });
      }
    });
    // Without a DOCTYPE an unknown entity stays literal text: it is never resolved.
    const handle = await startCollector();
    const body =
      '<Response><JobsDetail><JobId>j-ent</JobId><State>Failed</State><Message>&lol9;&#65;</Message></JobsDetail></Response>';
    assert.equal((await postCallback(callbackUrl(receiver.url, handle.workflowId), body)).status, 200);
    assert.equal((await handle.result())[0]?.message, '&lol9;A');
  });

  it('answers 404 for an unknown workflow and 410 for a closed one', async () => {
    const body = xmlNotification([{ jobId: 'j-closed', state: 'Success' }]);
    const missing = await postCallback(callbackUrl(receiver.url, `no-such-${randomUUID()}`), body);
    assert.equal(missing.status, 404);
    const handle = await startCollector();
    const url = callbackUrl(receiver.url, handle.workflowId);
    assert.equal((await postCallback(url, body)).status, 200);
    await handle.result();
    const replay = await postCallback(url, body);
    assert.deepEqual([replay.status, JSON.parse(replay.body)], [200, { accepted: 0, ignored: 1 }], 'collapsed');
    const closed = await postCallback(url, xmlNotification([{ jobId: 'j-late', state: 'Success' }]));
    assert.equal(closed.status, 410);
    const after = { ...calls };
    assert.equal((await postCallback(url, xmlNotification([{ jobId: 'j-later', state: 'Failed' }]))).status, 410);
    assert.deepEqual(calls, after, 'a workflow known to be closed is answered without Temporal');
  });

  it('answers duplicate deliveries 200 and collapses them before Temporal', async () => {
    const handle = await startCollector(2);
    const url = callbackUrl(receiver.url, handle.workflowId);
    const first = xmlNotification([{ jobId: 'dup-1', state: 'Success' }]);
    assert.equal((await postCallback(url, first)).status, 200);
    await untouched(async () => {
      const again = await postCallback(url, first);
      assert.deepEqual([again.status, JSON.parse(again.body)], [200, { accepted: 0, ignored: 1 }]);
    });
    const delivered = await handle.query(deliveredCallbacksQuery);
    assert.deepEqual(
      delivered.map((c) => c.jobId),
      ['dup-1'],
    );
    assert.equal((await postCallback(url, xmlNotification([{ jobId: 'dup-2', state: 'Failed' }]))).status, 200);
    assert.deepEqual(
      (await handle.result()).map((c) => c.jobId),
      ['dup-1', 'dup-2'],
    );
  });

  it('routes only the documented paths and methods', async () => {
    const url = callbackUrl(receiver.url, 'wf-x');
    await untouched(async () => {
      assert.equal((await send(url, { method: 'GET' })).status, 405);
      assert.equal((await send(`${receiver.url}/`, { method: 'GET' })).status, 404);
      assert.equal((await send(`${receiver.url}/ci/callback/a/b`, { method: 'POST' })).status, 404);
      assert.equal((await send(`${receiver.url}/ci/callback/%E0%A4%A`, { method: 'POST' })).status, 404);
      assert.equal((await send(`${receiver.url}/ci/callback/v2/not*base64`, { method: 'POST' })).status, 404);
      assert.equal((await send(`${receiver.url}/healthz`, { method: 'GET' })).status, 404, 'not on the public port');
      assert.equal((await send(`${receiver.url}/metrics`, { method: 'GET' })).status, 404, 'not on the public port');
      assert.equal((await send(`${receiver.adminUrl}/healthz`, { method: 'POST' })).status, 405);
      assert.equal((await send(`${receiver.adminUrl}${new URL(url).pathname}`, { method: 'POST' })).status, 404);
      const huge = await send(url, { headers: { 'x-filler': 'a'.repeat(20 * 1024) }, body: '' });
      assert.equal(huge.status, 431);
    });
  });

  it('answers 408 when a request body does not arrive in time', async () => {
    const { port } = new URL(receiver.url);
    const path = new URL(callbackUrl(receiver.url, 'wf-slow'));
    const socket = connect(Number(port), '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
    });
    socket.write(
      `POST ${path.pathname}${path.search} HTTP/1.1\r\nHost: x\r\nContent-Type: application/xml\r\nContent-Length: 100\r\n\r\n<Resp`,
    );
    assert.match(await answer, /^HTTP\/1\.1 408/);
  });

  it('reports health from its background check, and Prometheus metrics, on the admin port', async () => {
    for (let i = 0; i < 3; i++) {
      const health = await send(`${receiver.adminUrl}/healthz`, { method: 'GET' });
      assert.equal(health.status, 200);
      const { temporal: state, checkedAt } = JSON.parse(health.body) as { temporal: string; checkedAt: string };
      assert.equal(state, 'ok');
      assert.ok(!Number.isNaN(Date.parse(checkedAt)));
    }
    const metrics = await send(`${receiver.adminUrl}/metrics`, { method: 'GET' });
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /^ci_callback_accepted_total [1-9]/m);
    assert.match(metrics.body, /^ci_callback_rejected_total\{reason="token_invalid"\} [1-9]/m);
    assert.match(metrics.body, /^ci_callback_rejected_total\{reason="body_too_large"\} [1-9]/m);
    assert.match(metrics.body, /^ci_callback_signal_duration_seconds_count\{outcome="ok"\} [1-9]/m);
  });

  it('starts while Temporal is unreachable, says so, and answers callbacks with 503', async () => {
    const port = await findFreePort();
    const counting = countingTemporal(`127.0.0.1:${port}`);
    const offline = await startReceiver({
      secrets: [TEST_SECRET],
      temporal: counting.factory,
      temporalTimeoutMs: 500,
      logger: captureLogger().logger,
    });
    try {
      const health = await send(`${offline.adminUrl}/healthz`, { method: 'GET' });
      assert.equal(health.status, 503);
      assert.equal((JSON.parse(health.body) as { temporal: string }).temporal, 'unavailable');
      const res = await postCallback(
        callbackUrl(offline.url, 'wf-offline'),
        xmlNotification([{ jobId: 'j', state: 'Success' }]),
      );
      assert.equal(res.status, 503);
      assert.equal(res.headers['retry-after'], '5');
      assert.deepEqual(JSON.parse(res.body), { error: 'temporal_unavailable' });
    } finally {
      await offline.close();
    }
  });
});
