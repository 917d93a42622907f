import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mintCallbackUrl, verifyCallbackToken } from '../src/callback/token';

const secret = 'test-secret-current';
const previous = 'test-secret-previous';
const now = new Date('2026-11-24T10:00:00Z');
const later = new Date('2026-11-24T11:00:00Z');

function parts(url: string): { workflowId: string; exp: string | null; sig: string | null } {
  const parsed = new URL(url);
  const encoded = parsed.pathname.slice('/ci/callback/'.length);
  return {
    workflowId: decodeURIComponent(encoded),
    exp: parsed.searchParams.get('exp'),
    sig: parsed.searchParams.get('sig'),
  };
}

function mint(workflowId = 'wf/1 ü?&', s = secret, expiresAt = later): string {
  return mintCallbackUrl({ publicBaseUrl: 'https://cb.example.com', workflowId, secret: s, expiresAt });
}

describe('callback token', () => {
  it('mints the documented URL shape and verifies it', () => {
    const url = mint();
    assert.match(url, /^https:\/\/cb\.example\.com\/ci\/callback\/wf%2F1%20%C3%BC%3F%26\?exp=\d+&sig=[\w-]{43}$/);
    const p = parts(url);
    assert.equal(p.workflowId, 'wf/1 ü?&');
    assert.equal(p.exp, String(later.getTime() / 1000));
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now }), 'valid');
  });

  it('ignores a trailing slash in the base URL', () => {
    const a = mintCallbackUrl({ publicBaseUrl: 'https://h/x/', workflowId: 'w', secret, expiresAt: later });
    const b = mintCallbackUrl({ publicBaseUrl: 'https://h/x', workflowId: 'w', secret, expiresAt: later });
    assert.equal(a, b);
    assert.ok(a.startsWith('https://h/x/ci/callback/w?'));
  });

  it('rejects a wrong secret as invalid', () => {
    const p = parts(mint('wf', 'some-other-secret'));
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now }), 'invalid');
  });

  it('rejects a tampered workflow id or expiry as invalid', () => {
    const p = parts(mint('wf-1'));
    assert.equal(verifyCallbackToken({ ...p, workflowId: 'wf-2', secrets: [secret], now }), 'invalid');
    const exp = String(Number(p.exp) + 1);
    assert.equal(verifyCallbackToken({ ...p, exp, secrets: [secret], now }), 'invalid');
  });

  it('reports an expired but genuine token as expired', () => {
    const p = parts(mint('wf', secret, now));
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now }), 'expired');
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now: later }), 'expired');
  });

  it('reports missing exp or sig as missing', () => {
    const p = parts(mint());
    assert.equal(verifyCallbackToken({ ...p, exp: null, secrets: [secret], now }), 'missing');
    assert.equal(verifyCallbackToken({ ...p, sig: null, secrets: [secret], now }), 'missing');
    assert.equal(verifyCallbackToken({ ...p, sig: '', secrets: [secret], now }), 'missing');
  });

  it('reports malformed exp or sig as malformed', () => {
    const p = parts(mint());
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

  it('accepts a URL minted with the previous secret during rotation', () => {
    const p = parts(mint('wf', previous));
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret, previous], now }), 'valid');
    assert.equal(verifyCallbackToken({ ...p, secrets: [secret], now }), 'invalid');
    assert.equal(verifyCallbackToken({ ...p, secrets: [], now }), 'invalid');
  });

  it('refuses to mint with an empty secret or workflow id', () => {
    assert.throws(() => mint('wf', ''), TypeError);
    assert.throws(() => mint(''), TypeError);
  });
});
