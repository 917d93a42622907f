import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { RunningReceiver } from '../src/receiver/server';
import { startReceiver } from '../src/receiver/server';
import type { TemporalCalls } from './fixtures/receiver-helpers';
import {
  callbackUrl,
  captureLogger,
  countingTemporal,
  send,
  TEST_SECRET,
  xmlNotification,
} from './fixtures/receiver-helpers';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';

/** Headers the Node client manages itself or that change framing; random values for them test the client, not us. */
const FRAMING_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'host',
  'connection',
  'expect',
  'upgrade',
  'te',
]);

const segment = fc.oneof(
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('', '..', '%', '%E0%A4%A', '%00', 'wf-1', '%2F', 'a%2Fb', '.'),
);

const path = fc.oneof(
  segment.map((s) => `/ci/callback/${s}`),
  fc.tuple(segment, segment).map(([a, b]) => `/ci/callback/${a}/${b}`),
  fc.array(segment, { maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
  fc.constantFrom('/ci/callback', '/ci/callback/', '/ci', '//ci/callback/x', '/CI/CALLBACK/x', '*'),
);

/** Tokens that are never valid for the path they are sent with. */
function query(receiverUrl: string): fc.Arbitrary<string> {
  const genuine = (workflowId: string, opts: { secret?: string; expiresAt?: Date }) =>
    new URL(callbackUrl(receiverUrl, workflowId, opts)).search.slice(1);
  return fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 60 }).map(encodeURIComponent),
    fc
      .tuple(fc.string({ maxLength: 15 }), fc.string({ maxLength: 50 }))
      .map(([exp, sig]) => `exp=${encodeURIComponent(exp)}&sig=${encodeURIComponent(sig)}`),
    fc
      .tuple(fc.integer({ min: 1, max: 2 ** 40 }), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/))
      .map(([exp, sig]) => `exp=${exp}&sig=${sig}`),
    fc.string({ minLength: 1, maxLength: 10 }).map((id) => genuine(id, { secret: 'another-secret' })),
    fc.string({ minLength: 1, maxLength: 10 }).map((id) => genuine(id, { expiresAt: new Date(Date.now() - 60_000) })),
    fc.constant(genuine('some-other-workflow', {})),
  );
}

const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter((name) => !FRAMING_HEADERS.has(name));
const contentType = fc.option(
  fc.oneof(
    fc.constantFrom(
      'application/xml',
      'text/xml',
      'application/json',
      'text/plain',
      'application/json; charset=utf-16',
    ),
    fc.stringMatching(/^[ -~]{0,40}$/),
  ),
  { nil: undefined },
);

const body = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.json(),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(xmlNotification([{ jobId: 'j', state: 'Success' }])),
  fc.constant('<!DOCTYPE a [<!ENTITY b "c">]><Response>&b;</Response>'),
  fc.integer({ min: 60_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

describe('callback receiver under random and malformed requests', () => {
  let temporal: TemporalTestServer;
  let receiver: RunningReceiver;
  let calls: TemporalCalls;

  before(async () => {
    temporal = await startTemporalForTests();
    const counting = countingTemporal(temporal.env.address, temporal.env.namespace);
    calls = counting.calls;
    receiver = await startReceiver({
      secrets: [TEST_SECRET],
      temporal: counting.factory,
      maxBodyBytes: 64 * 1024,
      requestTimeoutMs: 2_000,
      logger: captureLogger().logger,
    });
  });

  after(async () => {
    await receiver?.close();
    await temporal?.teardown();
  });

  it('never crashes, never answers 5xx, and never reaches Temporal for HTTP requests', async () => {
    const request = fc.record({
      method: fc.oneof(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
        fc.stringMatching(/^[A-Z]{1,8}$/),
      ),
      path,
      query: query(receiver.url),
      contentType,
      headers: fc.dictionary(headerName, fc.stringMatching(/^[!-~][ -~]{0,40}$/), { maxKeys: 5 }),
      body,
    });
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = { ...r.headers };
        if (r.contentType !== undefined) headers['content-type'] = r.contentType;
        const res = await send(receiver.url, {
          path: `${r.path}${r.query ? `?${r.query}` : ''}`,
          method: r.method,
          headers,
          body: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body,
        });
        seen.add(res.status);
        assert.ok(res.status >= 200 && res.status < 500, `${r.method} ${r.path} answered ${res.status}`);
        assert.ok(!/stack|Error:|\bat \S+ \(/.test(res.body), 'no error details in the answer');
      }),
      { numRuns: 5_000 },
    );
    assert.equal(calls.signal, 0);
    assert.equal(calls.describe, 0);
    // The generators reach every refusal the token check and router can give, not just 404.
    for (const status of [401, 403, 404, 405]) assert.ok(seen.has(status), `some request answered ${status}`);
  });

  it('never crashes on raw garbage bytes', async () => {
    const { port } = new URL(receiver.url);
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
      fc.string({ maxLength: 200 }).map((s) => Buffer.from(`POST /ci/callback/x?${s} HTTP/1.1\r\n${s}\r\n\r\n`)),
      fc.string({ maxLength: 200 }).map((s) => Buffer.from(`${s} / HTTP/1.1\r\nHost: x\r\n\r\n`)),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (bytes) => {
        const answer = await new Promise<string>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1');
          let text = '';
          socket.on('data', (chunk) => (text += chunk.toString('latin1')));
          socket.on('error', () => undefined);
          socket.on('close', () => resolve(text));
          socket.end(bytes);
        });
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
        if (status) assert.ok(Number(status) < 500, `raw request answered ${status}`);
      }),
      { numRuns: 1_000 },
    );
    assert.equal(calls.signal, 0);
    const health = await send(`${receiver.adminUrl}/healthz`, { method: 'GET' });
    assert.equal(health.status, 200);
    const metrics = await send(`${receiver.adminUrl}/metrics`, { method: 'GET' });
    assert.doesNotMatch(metrics.body, /reason="internal"/);
  });
});
