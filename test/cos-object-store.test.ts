import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CiError, CiValidationError } from '../src/ci/errors';
import { createTencentClients } from '../src/tencent/clients';
import type { CosObjectStore } from '../src/cos/object-store';
import { cosUri, parseCosUri } from '../src/cos/ref';
import { startEmulator } from '../src/emulator';
import type { RunningEmulator } from '../src/emulator';

const credentials = { secretId: 'AKIDemulatorTestId', secretKey: 'emulatorTestKey' };
const BUCKET = 'objects-1250000000';
const REGION = 'ap-guangzhou';

function totalRequests(emu: RunningEmulator): number {
  return Object.values(emu.counters().requests).reduce((a, b) => a + b, 0);
}

describe('cosUri', () => {
  it('formats and parses cos://bucket/key', () => {
    assert.equal(cosUri({ Bucket: BUCKET, Key: 'a/b c.txt' }), `cos://${BUCKET}/a/b c.txt`);
    assert.deepEqual(parseCosUri(`cos://${BUCKET}/a/b.txt`, REGION), {
      Bucket: BUCKET,
      Region: REGION,
      Key: 'a/b.txt',
    });
    assert.equal(parseCosUri('https://x/y', REGION), undefined);
    assert.equal(parseCosUri(`cos://${BUCKET}/`, REGION), undefined);
  });
});

describe('CosObjectStore against the emulator', () => {
  let emu: RunningEmulator;
  let objects: CosObjectStore;
  before(async () => {
    emu = await startEmulator({ credentials, defaultBucket: BUCKET, defaultRegion: REGION });
    objects = createTencentClients({ ...credentials, bucket: BUCKET, region: REGION, endpoint: emu.url }).objects;
  });
  after(async () => {
    await emu?.close();
  });

  it('puts (idempotent overwrite), gets and heads an object', async () => {
    const ref = { Bucket: BUCKET, Region: REGION, Key: `t/${randomUUID()}/hello wörld.txt` };
    await objects.put(ref, 'first', 'text/plain');
    await objects.put(ref, Buffer.from('second version'), 'text/plain; charset=utf-8');
    assert.equal((await objects.get(ref)).toString('utf8'), 'second version');
    const head = await objects.head(ref);
    assert.ok(head);
    assert.equal(head.contentLength, 'second version'.length);
    assert.equal(head.contentType, 'text/plain; charset=utf-8');
    assert.ok(head.etag);
    assert.ok(head.lastModified instanceof Date);
  });

  it('head of a missing object is undefined; get throws a non-retryable 404 CiError', async () => {
    const ref = { Bucket: BUCKET, Region: REGION, Key: `missing/${randomUUID()}` };
    assert.equal(await objects.head(ref), undefined);
    const err: unknown = await objects.get(ref).catch((e: unknown) => e);
    assert.ok(err instanceof CiError, String(err));
    assert.equal(err.statusCode, 404);
    assert.equal(err.retryable, false);
    assert.equal(err.action, 'getObject');
    assert.match(err.message, new RegExp(`cos://${BUCKET}/missing/`));
  });

  it('lists one page with a next marker and walks every page', async () => {
    const prefix = `list/${randomUUID()}/`;
    const keys = Array.from({ length: 7 }, (_, i) => `${prefix}k${i}`);
    for (const key of keys) emu.putObject(BUCKET, key, key);
    emu.putObject(BUCKET, `other/${randomUUID()}`, 'x');
    const first = await objects.list({ Bucket: BUCKET, Region: REGION, Prefix: prefix, MaxKeys: 3 });
    assert.deepEqual(
      first.objects.map((o) => o.Key),
      keys.slice(0, 3),
    );
    assert.equal(first.objects[0]?.Size, keys[0]!.length);
    assert.equal(first.nextMarker, keys[2]);
    const second = await objects.list({
      Bucket: BUCKET,
      Region: REGION,
      Prefix: prefix,
      MaxKeys: 3,
      Marker: first.nextMarker,
    });
    assert.deepEqual(
      second.objects.map((o) => o.Key),
      keys.slice(3, 6),
    );
    const before = emu.counters().requests['GET bucket'] ?? 0;
    const all: string[] = [];
    for await (const o of objects.listAll({ Bucket: BUCKET, Region: REGION, Prefix: prefix, MaxKeys: 3 }))
      all.push(o.Key);
    assert.deepEqual(all, keys);
    assert.equal((emu.counters().requests['GET bucket'] ?? 0) - before, 3);
    const last = await objects.list({ Bucket: BUCKET, Region: REGION, Prefix: prefix });
    assert.equal(last.objects.length, 7);
    assert.equal(last.nextMarker, undefined);
  });

  it('rejects bad input before any request', async () => {
    const before = totalRequests(emu);
    const good = { Bucket: BUCKET, Region: REGION, Key: 'k' };
    await assert.rejects(objects.put({ ...good, Bucket: 'nobucket' }, 'x', 'text/plain'), CiValidationError);
    await assert.rejects(objects.put(good, 'x', ''), CiValidationError);
    await assert.rejects(objects.put(good, 42 as unknown as string, 'text/plain'), CiValidationError);
    await assert.rejects(objects.get({ ...good, Key: '' }), CiValidationError);
    await assert.rejects(objects.head({ ...good, Key: '/abs' }), CiValidationError);
    await assert.rejects(objects.list({ Bucket: BUCKET, Region: 'Nope!', MaxKeys: 0 }), {
      name: 'CiValidationError',
      issues: [
        { path: 'Region', message: 'must look like ap-guangzhou' },
        { path: 'MaxKeys', message: 'must be an integer 1–1000' },
      ],
    });
    await assert.rejects(objects.listAll({ Bucket: 'x', Region: REGION }).next(), CiValidationError);
    assert.equal(totalRequests(emu), before);
  });

  it('a wrong key gives a permanent SignatureDoesNotMatch with a request id', async () => {
    const wrong = createTencentClients({
      ...credentials,
      secretKey: 'wrongEmulatorKey',
      bucket: BUCKET,
      region: REGION,
      endpoint: emu.url,
    }).objects;
    await assert.rejects(wrong.get({ Bucket: BUCKET, Region: REGION, Key: 'k' }), (err) => {
      assert.ok(err instanceof CiError);
      assert.deepEqual([err.code, err.statusCode, err.retryable], ['SignatureDoesNotMatch', 403, false]);
      assert.ok(err.requestId);
      return true;
    });
  });
});
