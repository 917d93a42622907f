import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallbackBinding } from '../src/callback/token';
import { mintCallbackUrl, mintV1CallbackUrl, verifyCallbackToken } from '../src/callback/token';
import { callbackTarget } from '../src/receiver/callback-path';

const secret = 'test-secret-current';
const previous = 'test-secret-previous';
const tag = 'temporal-asr:v1:0123456789abcdef0123456789abcdef01234567';
const now = new Date('2026-11-24T10:00:00Z');
const later = new Date('2026-11-24T11:00:00Z');

/** What the receiver reads from a URL: the path's binding, and the query's tag, exp and sig. */
function parts(url: string): CallbackBinding & { exp: string | null; sig: string | null } {
  const parsed = new URL(url);
  const target = callbackTarget(parsed.pathname);
  assert.ok(target, `a callback path: ${parsed.pathname}`);
  const jobTag = parsed.searchParams.get('tag') ?? undefined;
  return { ...target, jobTag, exp: parsed.searchParams.get('exp'), sig: parsed.searchParams.get('sig') };
}

function mint(workflowId = 'batch-1/item 2 ü?&', s = secret, expiresAt = later, jobTag = tag): string {
  return mintCallbackUrl({ publicBaseUrl: 'https://cb.example.com', workflowId, jobTag, secret: s, expiresAt });
}

function mintV1(workflowId = 'wf/1 ü?&', s = secret, expiresAt = later): string {
  return mintV1CallbackUrl({ publicBaseUrl: 'https://cb.example.com', workflowId, secret: s, expiresAt });
}

describe('callback token v2', () => {
  it('puts the workflow id in the path as base64url, so no id ever needs %2F', () => {
    const url = mint();
    assert.match(
      url,
      /^https:\/\/cb\.example\.com\/ci\/callback\/v2\/[A-Za-z0-9_-]+\?tag=[^&]+&exp=\d+&sig=[\w-]{43}$/,
    );
    assert.ok(!url.includes('%2F') && !new URL(url).pathname.slice('/ci/callback/v2/'.length).includes('/'));
    const p = parts(url);
    assert.deepEqual([p.version, p.workflowId, p.jobTag], [2, 'batch-1/item 2 ü?&', tag]);
    assert.equal(p.exp, String(later.getTime() / 1000));
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now }), 'valid');
  });

  it('binds the job tag: another tag, or none, does not verify', () => {
    const p = parts(mint());
    assert.equal(verifyCallbackToken({ ...p, jobTag: `${tag}0`, secrets: [secret], now }), 'invalid');
    assert.equal(verifyCallbackToken({ ...p, jobTag: undefined, secrets: [secret], now }), 'missing');
    assert.equal(verifyCallbackToken({ ...p, jobTag: 'bad\ntag', secrets: [secret], now }), 'malformed');
  });

  it('never validates as v1 or the other way round', () => {
    const v2 = parts(mint('wf'));
    const v1 = parts(mintV1('wf'));
    assert.equal(verifyCallbackToken({ ...v2, version: 1, secrets: [secret], now }), 'invalid');
    assert.equal(verifyCallbackToken({ ...v1, version: 2, jobTag: tag, secrets: [secret], now }), 'invalid');
  });

  it('rejects a wrong secret, a tampered workflow id or expiry as invalid', () => {
    assert.equal(verifyCallbackToken({ ...parts(mint('wf', 'some-other-secret')), secrets: [secret], now }), 'invalid');
    const p = parts(mint('wf-1'));
    assert.equal(verifyCallbackToken({ ...p, workflowId: 'wf-2', secrets: [secret], now }), 'invalid');
    assert.equal(verifyCallbackToken({ ...p, exp: String(Number(p.exp) + 1), secrets: [secret], now }), 'invalid');
  });

  it('reports an expired but genuine token as expired', () => {
    const p = parts(mint('wf', secret, now));
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now }), 'expired');
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now: later }), 'expired');
  });

  it('accepts a URL minted with the previous secret during rotation', () => {
    const p = parts(mint('wf', previous));
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret, previous], now }), 'valid');
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now }), 'invalid');
    assert.equal(verifyCallbackToken({ ...p, secrets: [], now }), 'invalid');
  });

  it('refuses to mint with an empty secret, workflow id or a tag CI would refuse', () => {
    assert.throws(() => mint('wf', ''), TypeError);
    assert.throws(() => mint(''), TypeError);
    assert.throws(() => mint('wf', secret, later, ''), TypeError);
    assert.throws(() => mint('wf', secret, later, 'tag\nwith newline'), TypeError);
  });

  it('reads only canonical base64url of UTF-8 as a v2 path', () => {
    assert.deepEqual(callbackTarget('/ci/callback/v2/d2Y'), { version: 2, workflowId: 'wf' });
    for (const path of ['/ci/callback/v2/', '/ci/callback/v2/d2Y=', '/ci/callback/v2/d2Z', '/ci/callback/v2/d2Y/x']) {
      assert.equal(callbackTarget(path), undefined, path);
    }
    assert.equal(callbackTarget('/ci/callback/v2/_w'), undefined, 'not UTF-8');
  });
});

describe('callback token v1 (URLs of jobs in flight)', () => {
  it('mints the former URL shape and still verifies it', () => {
    const url = mintV1();
    assert.match(url, /^https:\/\/cb\.example\.com\/ci\/callback\/wf%2F1%20%C3%BC%3F%26\?exp=\d+&sig=[\w-]{43}$/);
    const p = parts(url);
    assert.deepEqual([p.version, p.workflowId], [1, 'wf/1 ü?&']);
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now }), 'valid');
  });

  it('ignores a trailing slash in the base URL', () => {
    const a = mintV1CallbackUrl({ publicBaseUrl: 'https://h/x/', workflowId: 'w', secret, expiresAt: later });
    const b = mintV1CallbackUrl({ publicBaseUrl: 'https://h/x', workflowId: 'w', secret, expiresAt: later });
    assert.equal(a, b);
    assert.ok(a.startsWith('https://h/x/ci/callback/w?'));
  });

  it('reports missing exp or sig as missing, malformed ones as malformed', () => {
    const p = parts(mintV1());
    assert.equal(verifyCallbackToken({ ...p, exp: null, secrets: [secret], now }), 'missing');
    assert.equal(verifyCallbackToken({ ...p, sig: null, secrets: [secret], now }), 'missing');
    assert.equal(verifyCallbackToken({ ...p, sig: '', secrets: [secret], now }), 'missing');
    for (const exp of ['abc', '-5', '0', '01', '1e9', ' 1', '9999999999999']) {
      assert.equal(verifyCallbackToken({ ...p, exp, secrets: [secret], now }), 'malformed', exp);
    }
    const badSigs = [
      'short',
      `${p.sig}A`,
      p.sig!.replace(/.$/, '+'),
      p.sig!.replace(/.$/, 'B'),
      `${p.sig!.slice(0, 42)}=`,
    ];
    for (const sig of badSigs) {
      assert.equal(verifyCallbackToken({ ...p, sig, secrets: [secret], now }), 'malformed', sig);
    }
  });
});
