import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTencentClients } from '../src/tencent/clients';
import type { TencentCredentials } from '../src/ci/credentials';
import { refreshingCredentials, staticCredentials } from '../src/ci/credentials';
import { formatCiTime } from '../src/ci/ci-time';
import type { IssuedCredentials, RunningEmulator } from '../src/emulator';
import { silentWav } from '../src/emulator';
import type { AsrJob } from '../src/ci/types';
import { BUCKET, CREDS, REGION, rawRequest, sdkSignature, startTestEmulator } from './fixtures/emulator-helpers';

const recognition = { EngineModelType: '16k_zh', ChannelNum: 1 } as const;

function asKeys(issued: IssuedCredentials): TencentCredentials {
  return {
    secretId: issued.TmpSecretId,
    secretKey: issued.TmpSecretKey,
    securityToken: issued.Token,
    expiresAtMs: issued.ExpiredTime * 1000,
  };
}

function clientsWith(emulator: RunningEmulator, keys: () => TencentCredentials) {
  return createTencentClients({
    credentials: refreshingCredentials(() => Promise.resolve(keys())),
    bucket: BUCKET,
    region: REGION,
    endpoint: emulator.url,
  });
}

/** A job request for the seeded object. */
const job = (queueId?: string) => ({
  Tag: 'SpeechRecognition' as const,
  Input: { Object: 'in/a.wav' },
  Operation: { SpeechRecognition: recognition, Output: { Bucket: BUCKET, Region: REGION, Object: 'out/a.txt' } },
  ...(queueId ? { QueueId: queueId } : {}),
});

describe('strict emulator: temporary credentials', () => {
  let emulator: RunningEmulator;
  const expired: IssuedCredentials = {
    TmpSecretId: 'AKIDexpiredTEMP',
    TmpSecretKey: 'expired-temp-secret',
    Token: 'expired-token-value',
    StartTime: Math.floor(Date.now() / 1000) - 7200,
    ExpiredTime: Math.floor(Date.now() / 1000) - 60,
  };
  before(async () => {
    emulator = await startTestEmulator({ temporaryCredentials: [expired], timings: { queuedMs: 60_000 } });
    emulator.putObject(BUCKET, 'in/a.wav', silentWav(1));
  });
  after(async () => emulator?.close());

  it("accepts a token it issued, refuses an expired, unknown or missing one with CI's codes on the CI host", async () => {
    const issued = emulator.issueCredentials(600);
    assert.equal((await clientsWith(emulator, () => asKeys(issued)).ci.submit(job())).State, 'Submitted');
    // CI's signature codes, 401 (ci-wire-facts row 20); CI documents no token code (row 32): see docs/emulator.md.
    const cases: Array<[TencentCredentials, string, number]> = [
      [asKeys(expired), 'SignatureExpired', 401],
      [{ ...asKeys(issued), securityToken: 'forged-token-value' }, 'InvalidAuthorization', 401],
      [{ ...asKeys(issued), securityToken: undefined }, 'InvalidAuthorization', 401],
      [{ ...CREDS, securityToken: issued.Token }, 'InvalidAuthorization', 401],
      [{ ...CREDS, secretId: 'AKIDnobody' }, 'SecretidNotExist', 401],
    ];
    const before = emulator.counters().jobsCreated;
    for (const [keys, code, status] of cases) {
      const fixed = createTencentClients({
        credentials: staticCredentials(keys),
        bucket: BUCKET,
        region: REGION,
        endpoint: emulator.url,
      });
      await assert.rejects(fixed.ci.submit(job()), (err: Error & { code?: string; statusCode?: number }) => {
        assert.deepEqual([err.code, err.statusCode], [code, status]);
        assert.ok(
          !err.message.includes(keys.secretKey) && !err.message.includes(issued.Token),
          'no secret in the message',
        );
        return true;
      });
    }
    assert.equal(emulator.counters().jobsCreated, before, 'a refused submit creates no job');
    assert.equal(emulator.counters().authRejections.SignatureExpired, 1);
    // COS hosts keep COS's codes.
    const onCos = createTencentClients({
      credentials: staticCredentials(asKeys(expired)),
      bucket: BUCKET,
      region: REGION,
      endpoint: emulator.url,
    });
    await assert.rejects(onCos.objects.get({ Bucket: BUCKET, Region: REGION, Key: 'in/a.wav' }), {
      code: 'ExpiredToken',
      statusCode: 400,
    });
  });

  it('expires tokens at run time, and a refreshing client recovers with the next token', async () => {
    let current = emulator.issueCredentials(600);
    const clients = clientsWith(emulator, () => asKeys(current));
    const submitted = await clients.ci.submit(job());
    emulator.setFaults({ expireTokensIssuedBefore: Date.now() + 1 });
    // The provider has nothing newer yet: the call refreshes once, gets the same keys, and stays retryable.
    await assert.rejects(clients.ci.get([submitted.JobId]), {
      code: 'SignatureExpired',
      retryable: true,
      credentialsRejected: true,
    });
    current = emulator.issueCredentials(600);
    const { jobs } = await clients.ci.get([submitted.JobId]);
    assert.equal(jobs[0]?.JobId, submitted.JobId);
    emulator.setFaults({ expireTokensIssuedBefore: 0, tokenLifetimeMs: 1 });
    await assert.rejects(clients.ci.get([submitted.JobId]), { code: 'SignatureExpired' });
    emulator.setFaults({ tokenLifetimeMs: 0 });
  });

  it('refreshes temporary keys once within the call when CI refuses them, and fails for good when fresh ones are refused too', async () => {
    let fetches = 0;
    const fresh = createTencentClients({
      credentials: refreshingCredentials(() => {
        fetches++;
        return Promise.resolve(asKeys(emulator.issueCredentials(600)));
      }),
      bucket: BUCKET,
      region: REGION,
      endpoint: emulator.url,
    });
    const submitted = await fresh.ci.submit(job());
    const cutoff = Date.now() + 1;
    emulator.setFaults({ expireTokensIssuedBefore: cutoff });
    while (Date.now() <= cutoff) await new Promise((resolve) => setImmediate(resolve));
    const rejectionsBefore = emulator.counters().authRejections.SignatureExpired ?? 0;
    const { jobs } = await fresh.ci.get([submitted.JobId]);
    assert.equal(jobs[0]?.JobId, submitted.JobId, 'one call: refused, refreshed, answered');
    assert.equal((emulator.counters().authRejections.SignatureExpired ?? 0) - rejectionsBefore, 1);
    assert.equal(fetches, 2);
    // A submit refused for its keys is made once more with fresh ones: one job, with the whole body.
    const cutoff2 = Date.now() + 1;
    emulator.setFaults({ expireTokensIssuedBefore: cutoff2 });
    while (Date.now() <= cutoff2) await new Promise((resolve) => setImmediate(resolve));
    const jobsBefore = emulator.counters().jobsCreated;
    const again = await fresh.ci.submit(job());
    assert.equal(again.Input.Object, 'in/a.wav');
    assert.equal(emulator.counters().jobsCreated, jobsBefore + 1);
    assert.equal(fetches, 3);
    // Every token dead at once: the fresh keys are refused too, so the error is permanent (no refresh loop).
    emulator.setFaults({ expireTokensIssuedBefore: 0, tokenLifetimeMs: 1 });
    await assert.rejects(fresh.ci.get([submitted.JobId]), {
      code: 'SignatureExpired',
      retryable: false,
      credentialsRejected: true,
    });
    assert.equal(fetches, 4);
    emulator.setFaults({ tokenLifetimeMs: 0 });
  });
});

describe('strict emulator: clock skew, order of checks', () => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startTestEmulator({ clockSkewSeconds: 900 });
  });
  after(async () => emulator?.close());

  const host = () => new URL(emulator.url).host;
  const signedGet = (keyTime: string) =>
    rawRequest(emulator.url, {
      method: 'GET',
      path: '/in/missing.wav',
      headers: {
        host: host(),
        authorization: sdkSignature({ method: 'GET', key: 'in/missing.wav', host: host(), keyTime }),
      },
    });

  it('accepts a signature up to the documented skew away from the server clock and refuses one beyond', async () => {
    const now = Math.floor(Date.now() / 1000);
    // 404 NoSuchKey proves the signature passed; 403 that it did not.
    assert.equal((await signedGet(`${now + 600};${now + 1500}`)).status, 404, 'client clock 10 min ahead');
    assert.equal((await signedGet(`${now - 1500};${now - 600}`)).status, 404, 'window ended 10 min ago');
    const ahead = await signedGet(`${now + 1000};${now + 1900}`);
    assert.deepEqual([ahead.status, /<Code>RequestTimeTooSkewed<\/Code>/.test(ahead.body)], [403, true]);
    const late = await signedGet(`${now - 2000};${now - 1000}`);
    assert.deepEqual([late.status, /Request has expired/.test(late.body)], [403, true]);
  });

  it('checks the signature before reading the body or injecting a fault', async () => {
    emulator.setFaults({ routes: { '*': { serverErrorShare: 1, latencyMs: 5 } } });
    const before = emulator.counters();
    const answer = await rawRequest(emulator.url, {
      method: 'POST',
      path: '/asr_jobs',
      headers: {
        host: host(),
        'content-type': 'application/xml',
        authorization:
          'q-sign-algorithm=sha1&q-ak=AKIDnobody&q-sign-time=1;2&q-key-time=1;2&q-header-list=&q-url-param-list=&q-signature=00',
      },
      body: '<Request><Tag>SpeechRecognition</Tag></Request>',
    });
    const after = emulator.counters();
    emulator.setFaults({ routes: {} });
    // A CI route: CI's code for an unknown SecretId (row 20).
    assert.equal(answer.status, 401);
    assert.match(answer.body, /<Code>SecretidNotExist<\/Code>/);
    assert.equal(after.bodiesRead, before.bodiesRead, 'the body was never read');
    assert.deepEqual(after.faultsInjected, before.faultsInjected, 'no fault fired');
    assert.equal(after.authRejections.SecretidNotExist, 1);
    assert.equal(after.requests['POST /asr_jobs'], 1, 'the request itself is counted');
  });
});

describe('strict emulator: queues, creation-time window, jobs started at once', () => {
  let emulator: RunningEmulator;
  let clients: ReturnType<typeof createTencentClients>;
  before(async () => {
    emulator = await startTestEmulator({ timings: { queuedMs: 60_000, runningMs: 60_000 } });
    emulator.putObject(BUCKET, 'in/a.wav', silentWav(1));
    clients = createTencentClients({ ...CREDS, bucket: BUCKET, region: REGION, endpoint: emulator.url });
  });
  after(async () => emulator?.close());

  it('refuses a QueueId the bucket does not have, on submit and on list, and knows added queues', async () => {
    const unknown = `p${'e'.repeat(32)}`;
    // CI's own code (error code 1106; rows 8, 30).
    await assert.rejects(clients.ci.submit(job(unknown)), {
      code: 'QueueNotFound',
      message: /Queue .* does not exist/,
    });
    await assert.rejects(clients.ci.list({ queueId: unknown }), { code: 'QueueNotFound', retryable: false });
    assert.equal(emulator.counters().jobsCreated, 0);
    const added = emulator.addQueue(BUCKET, unknown);
    assert.equal((await clients.ci.submit(job(added))).QueueId, added);
    assert.equal(emulator.addQueue('other-1250000000', `p${'f'.repeat(32)}`), `p${'f'.repeat(32)}`);
    await assert.rejects(
      clients.ci.submit(job(`p${'f'.repeat(32)}`)),
      { code: 'QueueNotFound' },
      "another bucket's queue",
    );
  });

  it('compares creation times strictly, as Tencent documents ("greater than" / "less than")', async () => {
    const submitted: AsrJob = await clients.ci.submit(job());
    const created = formatCiTime(submitted.CreationTime);
    // Raw, signed requests: the typed client widens its window (below), which would hide the comparison.
    const ids = async (startCreationTime?: string, endCreationTime?: string) => {
      const q = new URLSearchParams({ tag: 'SpeechRecognition', size: '100', queueId: submitted.QueueId ?? '' });
      if (startCreationTime) q.set('startCreationTime', startCreationTime);
      if (endCreationTime) q.set('endCreationTime', endCreationTime);
      const key = 'asr_jobs';
      const hostName = `${BUCKET}.ci.${REGION}.myqcloud.com`;
      const query = Object.fromEntries(q);
      const answer = await rawRequest(emulator.url, {
        method: 'GET',
        path: `/${key}?${q.toString().replace(/\+/g, '%20')}`,
        headers: { host: hostName, authorization: sdkSignature({ method: 'GET', key, host: hostName, query }) },
      });
      assert.equal(answer.status, 200, answer.body);
      return answer.body.includes(submitted.JobId);
    };
    const second = 1000;
    const at = submitted.CreationTime.getTime();
    assert.equal(await ids(created), false, 'start equal to the creation time: not greater, excluded');
    assert.equal(await ids(formatCiTime(new Date(at - second))), true);
    assert.equal(await ids(undefined, created), false, 'end equal to the creation time: not less, excluded');
    assert.equal(await ids(undefined, formatCiTime(new Date(at + second))), true);
    // The typed client keeps its inclusive filter by widening the window one second each side.
    const listed = await clients.ci.list({
      startCreationTime: submitted.CreationTime,
      endCreationTime: submitted.CreationTime,
      size: 100,
    });
    assert.ok(listed.jobs.some((j) => j.JobId === submitted.JobId));
  });

  it('starts jobs at once when told, so CI refuses to cancel them', async () => {
    emulator.setFaults({ startJobsAtOnce: true });
    const started = await clients.ci.submit(job());
    emulator.setFaults({ startJobsAtOnce: false });
    assert.equal(started.State, 'Running');
    const { outcome } = await clients.ci.cancel(started.JobId);
    assert.equal(outcome, 'not-cancellable');
    assert.equal((await clients.ci.get([started.JobId])).jobs[0]?.State, 'Running');
    assert.equal(emulator.counters().faultsInjected['submit:startedAtOnce'], 1);
  });
});
