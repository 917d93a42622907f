import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { toCiError } from '../src/ci/classify';
import type { TencentCredentials } from '../src/ci/credentials';
import {
  CredentialsUnavailableError,
  fileCredentials,
  parseCredentialsFile,
  refreshingCredentials,
  staticCredentials,
} from '../src/ci/credentials';
import { readTencentSettings } from '../src/config/tencent-settings';
import { ConfigReader } from '../src/config/reader';

const keys = (n: number, expiresAtMs?: number): TencentCredentials => ({
  secretId: `AKIDtmp${n}`,
  secretKey: `key-${n}-secret`,
  securityToken: `token-${n}-secret`,
  expiresAtMs,
});

/** A token file written the way a platform should: to a temporary name, then renamed over the old one. */
function writeTokenFile(path: string, n: number, expiredTime: number): void {
  const body = { TmpSecretId: `AKIDtmp${n}`, TmpSecretKey: `key-${n}-secret`, Token: `token-${n}-secret` };
  writeFileSync(`${path}.tmp`, JSON.stringify({ ...body, ExpiredTime: expiredTime }));
  renameSync(`${path}.tmp`, path);
}

describe('credential providers', () => {
  it('a static provider always gives the same keys and cannot refresh', async () => {
    const provider = staticCredentials(keys(1));
    provider.invalidate();
    assert.deepEqual(await provider.get(), keys(1));
    assert.equal(provider.refreshable, false);
  });

  it('a refreshing provider caches until the margin before expiry, then fetches again', async () => {
    let now = 1_000_000;
    let calls = 0;
    const provider = refreshingCredentials(() => Promise.resolve(keys(++calls, now + 600_000)), {
      refreshBeforeMs: 300_000,
      clock: () => now,
    });
    assert.equal((await provider.get()).secretId, 'AKIDtmp1');
    now += 299_000;
    assert.equal((await provider.get()).secretId, 'AKIDtmp1', 'still outside the margin');
    now += 2_000;
    assert.equal((await provider.get()).secretId, 'AKIDtmp2', 'inside the margin: renewed before expiry');
    provider.invalidate();
    assert.equal((await provider.get()).secretId, 'AKIDtmp3', 'a refused token is never reused');
    assert.equal(calls, 3);
  });

  it('shares one fetch between concurrent requests and does not cache a failure', async () => {
    let calls = 0;
    let fail = true;
    const provider = refreshingCredentials(async () => {
      calls++;
      await new Promise((resolve) => setImmediate(resolve));
      if (fail) throw new Error('metadata endpoint down');
      return keys(calls);
    });
    const failed = await Promise.allSettled([provider.get(), provider.get(), provider.get()]);
    assert.equal(calls, 1);
    for (const r of failed) {
      assert.equal(r.status, 'rejected');
      assert.ok(r.reason instanceof CredentialsUnavailableError);
      assert.equal((r.reason as Error).message, 'The credential callback failed.');
    }
    fail = false;
    assert.equal((await provider.get()).secretId, 'AKIDtmp2');
  });

  it('rejects callback keys without an id or key', async () => {
    const provider = refreshingCredentials(() => Promise.resolve({ secretId: '', secretKey: 'x' }));
    await assert.rejects(provider.get(), { name: 'CredentialsUnavailableError', message: /secretId/ });
  });

  it('re-reads the token file whenever the platform rewrote it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'creds-')), 'token.json');
    let now = Date.now();
    writeTokenFile(path, 1, Math.floor(now / 1000) + 3600);
    const provider = fileCredentials(path, { refreshBeforeMs: 300_000, clock: () => now });
    assert.deepEqual(await provider.get(), keys(1, (Math.floor(now / 1000) + 3600) * 1000));
    writeTokenFile(path, 22, Math.floor(now / 1000) + 3600);
    assert.equal((await provider.get()).secretId, 'AKIDtmp22', 'a rewritten file is picked up');
    now += 3_400_000;
    writeTokenFile(path, 333, Math.floor(now / 1000) + 3600);
    assert.equal((await provider.get()).secretId, 'AKIDtmp333');
    assert.equal((await provider.get()).secretId, 'AKIDtmp333', 'unchanged and fresh: served from the cache');
  });

  it('names the bad field of a token file, never a value', () => {
    const cases: Array<[string, RegExp]> = [
      ['not json', /not valid JSON/],
      ['{"TmpSecretId":"AKIDx","TmpSecretKey":"","Token":"t-secret","ExpiredTime":1}', /TmpSecretKey/],
      ['{"TmpSecretId":"AKIDx","TmpSecretKey":"k-secret","Token":"t-secret"}', /ExpiredTime is required/],
      ['{"TmpSecretId":"AKIDx","TmpSecretKey":"k-secret","ExpiredTime":"soon"}', /epoch seconds/],
    ];
    for (const [text, message] of cases) {
      assert.throws(
        () => parseCredentialsFile(text, '/run/token.json'),
        (err: Error) =>
          err instanceof CredentialsUnavailableError && message.test(err.message) && !/secret/.test(err.message),
      );
    }
    assert.deepEqual(parseCredentialsFile('{"TmpSecretId":"AKIDp","TmpSecretKey":"k"}', 'f'), {
      secretId: 'AKIDp',
      secretKey: 'k',
      securityToken: undefined,
      expiresAtMs: undefined,
    });
  });
});

describe('expired-token classification', () => {
  const sdkError = (code: string, message: string) => ({
    statusCode: code === 'ExpiredToken' || code === 'InvalidToken' ? 400 : 403,
    error: { Code: code, Message: message },
  });

  it('is retryable and drops the keys when the provider can refresh', () => {
    let rejected = 0;
    const credentials = { refreshable: true, rejected: () => void rejected++ };
    const ctx = { action: 'get' as const, target: 'job s1', secrets: [], credentials };
    for (const [code, message] of [
      ['ExpiredToken', 'The provided token has expired.'],
      ['InvalidToken', 'The provided token is malformed or otherwise invalid.'],
      ['AccessDenied', 'Temporary keys need x-cos-security-token.'],
    ] as const) {
      const err = toCiError(sdkError(code, message), ctx);
      assert.deepEqual([err.code, err.retryable, err.outcomeUnknown], [code, true, false]);
    }
    assert.equal(rejected, 3);
  });

  it('stays permanent with fixed keys, and plain AccessDenied stays permanent', () => {
    const fixed = { action: 'get' as const, target: 'job s1', secrets: [] };
    assert.equal(toCiError(sdkError('ExpiredToken', 'The provided token has expired.'), fixed).retryable, false);
    const refreshable = { ...fixed, credentials: { refreshable: true, rejected: () => undefined } };
    assert.equal(toCiError(sdkError('AccessDenied', 'Access Denied.'), refreshable).retryable, false);
  });

  it("treats CI's signature codes as stale temporary keys, and as permanent with fixed keys (row 20)", () => {
    let rejected = 0;
    const refreshable = {
      action: 'get' as const,
      target: 'job s1',
      secrets: [],
      credentials: { refreshable: true, rejected: () => void rejected++, lastKeyId: 'AKIDold' },
    };
    const fixed = { action: 'get' as const, target: 'job s1', secrets: [] };
    for (const code of ['SignatureExpired', 'InvalidAuthorization', 'SecretidNotExist']) {
      for (const status of [401, 403]) {
        const raw = { statusCode: status, error: { Code: code, Message: 'x' } };
        const fresh = toCiError(raw, refreshable);
        assert.deepEqual([fresh.retryable, fresh.credentialsRejected], [true, true], `${code} ${status}`);
        // The call was repeated after AKIDold was refused and other keys were refused too: permanent.
        const again = toCiError(raw, { ...refreshable, refreshedFrom: 'AKIDprevious' });
        assert.deepEqual([again.retryable, again.credentialsRejected], [false, true], `${code} ${status} again`);
        assert.equal(toCiError(raw, fixed).retryable, false, `${code} ${status} fixed`);
      }
    }
    assert.equal(rejected, 12);
    // MissingAuthorization is this client's bug (no signature sent), never a stale key.
    const missing = toCiError({ statusCode: 401, error: { Code: 'MissingAuthorization' } }, refreshable);
    assert.deepEqual([missing.retryable, missing.credentialsRejected], [false, false]);
  });

  it("classifies CI's other documented codes: not-found and unbound permanent, SlowDown retryable", () => {
    const ctx = { action: 'submit' as const, target: 'bucket b-1', secrets: [] };
    for (const code of [
      'QueueNotFound',
      'TemplateNotFound',
      'ResourceNotFound',
      'TemplateNameDuplicate',
      'MediaBucketUnBinded',
    ]) {
      const err = toCiError({ statusCode: 400, error: { Code: code, Message: 'x' } }, ctx);
      assert.deepEqual([err.code, err.retryable, err.outcomeUnknown], [code, false, false], code);
    }
    for (const status of [503, 429]) {
      const err = toCiError({ statusCode: status, error: { Code: 'SlowDown', Message: 'x' } }, ctx);
      assert.deepEqual([err.retryable, err.outcomeUnknown], [true, false], String(status));
    }
  });

  it('reports a provider that could not supply keys as transient', () => {
    const err = toCiError(
      { message: 'getAuthorization callback params missing "TmpSecretId"' },
      { action: 'submit', target: 'bucket b-1', secrets: [] },
    );
    assert.deepEqual([err.code, err.retryable, err.outcomeUnknown], ['CredentialsUnavailable', true, false]);
  });
});

describe('TENCENT_CREDENTIALS_FILE', () => {
  const base = { CI_BUCKET: 'media-1250000000', CI_REGION: 'ap-guangzhou' };

  it('replaces the fixed keys, must exist, and cannot be combined with them', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'creds-')), 'token.json');
    writeTokenFile(path, 1, Math.floor(Date.now() / 1000) + 60);
    const ok = new ConfigReader({ ...base, TENCENT_CREDENTIALS_FILE: path });
    assert.equal(readTencentSettings(ok).credentialsFile, path);
    assert.deepEqual(ok.problems, []);
    const both = new ConfigReader({ ...base, TENCENT_CREDENTIALS_FILE: path, TENCENT_SECRET_ID: 'AKIDx' });
    readTencentSettings(both);
    assert.match(both.problems.join('\n'), /cannot be combined with TENCENT_SECRET_ID/);
    const missing = new ConfigReader({ ...base, TENCENT_CREDENTIALS_FILE: `${path}.nope` });
    readTencentSettings(missing);
    assert.match(missing.problems.join('\n'), /does not exist/);
    const none = new ConfigReader(base);
    readTencentSettings(none);
    assert.match(none.problems.join('\n'), /TENCENT_SECRET_ID is required .*TENCENT_CREDENTIALS_FILE/);
  });
});
