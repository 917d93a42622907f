/** The pure parts of `transcribe-asr doctor`: the report's text and JSON, exit codes, URL and CI-error verdicts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CiError } from '../src/ci/errors';
import { callbackUrlProblems, explainCiError, FIXES, isPrivateHost } from '../src/cli/doctor/explain';
import { checkCallbacks } from '../src/cli/doctor/callback-check';
import type { DoctorSettings } from '../src/cli/doctor/settings';
import type { AsrQueue } from '../src/ci/setup/types';
import type { CheckResult } from '../src/cli/doctor/report';
import { doctorExitCode, doctorJson, formatDoctorReport, skippedBecause } from '../src/cli/doctor/report';
import { readDoctorSettings } from '../src/cli/doctor/settings';
import { parseCommandLine } from '../src/cli/run';

function result(partial: Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>): CheckResult {
  return { title: partial.id, detail: `${partial.id} detail`, elapsedMs: 1, ...partial };
}

function ciError(code: string, statusCode?: number, detail?: string): CiError {
  return new CiError({
    action: 'describeBuckets',
    target: 'ci.ap-guangzhou',
    code,
    statusCode,
    detail,
    retryable: statusCode === undefined || statusCode >= 500,
    outcomeUnknown: false,
  });
}

describe('doctor report', () => {
  it('prints one aligned line per check, the fix under failing and warning lines only, and what to do next', () => {
    const text = formatDoctorReport([
      result({ id: 'credentials', title: 'Tencent credentials', status: 'pass', fix: 'never shown' }),
      result({ id: 'bucket', title: 'bucket', status: 'fail', detail: 'not bound', fix: 'bind it\nor the console' }),
      result({ id: 'queue', title: 'ASR queue', ...skippedBecause('bucket') }),
      result({ id: 'callbacks', title: 'callbacks', status: 'warn', detail: 'http', fix: 'use https' }),
    ]);
    assert.equal(
      text,
      [
        'ok    Tencent credentials  credentials detail',
        'FAIL  bucket               not bound',
        '      fix: bind it',
        '           or the console',
        'skip  ASR queue            skipped: because "bucket" failed',
        'warn  callbacks            http',
        '      fix: use https',
        '',
        '1 ok, 1 warning(s), 1 failed, 1 skipped. Fix the failed lines, then run `npm run cli -- doctor` again.',
        '',
      ].join('\n'),
    );
    assert.match(formatDoctorReport([result({ id: 'worker', status: 'pass' })]), /1 ok, .* Ready for a first job\.\n$/);
    assert.match(
      formatDoctorReport([result({ id: 'worker', status: 'warn' })]),
      /Ready for a first job; read the warnings\.\n$/,
    );
  });

  it('exits 0 with warnings and skips, 1 on a failure, 2 when any failure is a configuration one', () => {
    const pass = result({ id: 'temporal', status: 'pass' });
    const warn = result({ id: 'callbacks', status: 'warn' });
    const skip = result({ id: 'queue', status: 'skip' });
    const fail = result({ id: 'worker', status: 'fail' });
    const config = result({ id: 'credentials', status: 'fail', config: true });
    assert.equal(doctorExitCode([pass, warn, skip]), 0);
    assert.equal(doctorExitCode([pass, fail]), 1);
    assert.equal(doctorExitCode([fail, config]), 2);
    // A warned configuration is no failure.
    assert.equal(doctorExitCode([{ ...warn, config: true }]), 0);
  });

  it('has one JSON shape: ok, exitCode, counts per status and the checks', () => {
    const checks = [result({ id: 'temporal', status: 'pass' }), result({ id: 'worker', status: 'fail', fix: 'start' })];
    assert.deepEqual(doctorJson(checks), {
      ok: false,
      exitCode: 1,
      summary: { pass: 1, warn: 0, fail: 1, skip: 0 },
      checks,
    });
  });
});

describe('doctor verdicts', () => {
  it('names each refusal of the keys with its own fix', () => {
    const cases: [CiError, RegExp, string][] = [
      [ciError('ExpiredToken', 400), /temporary token: expired or revoked/, FIXES.token],
      [ciError('AccessDenied', 403, 'the security token is invalid'), /temporary token/, FIXES.token],
      [ciError('InvalidAccessKeyId', 403), /does not know this SecretId/, FIXES.keyId],
      [ciError('SignatureDoesNotMatch', 403), /SecretKey does not belong to the SecretId/, FIXES.signature],
      [ciError('RequestTimeTooSkewed', 403), /clock is too far/, FIXES.clock],
      [ciError('AccessDenied', 403), /may not call describeBuckets: a CAM permission is missing/, FIXES.permission],
      [ciError('ECONNREFUSED'), /CI did not answer \(ECONNREFUSED\)/, FIXES.network],
      [ciError('InternalError', 500), /could not answer now/, FIXES.retry],
    ];
    for (const [err, detail, fix] of cases) {
      const outcome = explainCiError(err);
      assert.equal(outcome.status, 'fail');
      assert.match(outcome.detail, detail);
      assert.equal(outcome.fix, fix, err.code);
      assert.equal(outcome.data?.code, err.code);
    }
    assert.equal(explainCiError(ciError('InvalidArgument', 400, 'bad')).fix, undefined);
    const emulatorDown = explainCiError(ciError('ECONNREFUSED'), 'http://127.0.0.1:9100');
    assert.match(emulatorDown.detail, /^CI at http:\/\/127\.0\.0\.1:9100 did not answer \(ECONNREFUSED\)$/);
    assert.match(emulatorDown.fix!, /CI_ENDPOINT \(is `npm run dev` running\?\)/);
  });

  it('warns of callback URLs Tencent Cloud cannot call or would call in clear text', () => {
    assert.deepEqual(callbackUrlProblems('https://asr.example.com/ci'), []);
    const local = callbackUrlProblems('http://127.0.0.1:8787');
    assert.equal(local.length, 2);
    assert.match(local[0]!, /127\.0\.0\.1:8787 is not reachable from Tencent Cloud/);
    assert.match(local[1]!, /http: .* unencrypted/);
    assert.deepEqual(callbackUrlProblems('http://asr.example.com').length, 1);
    for (const host of ['localhost', 'receiver', '10.0.0.4', '172.20.1.1', '192.168.1.9', '[::1]', 'box.local']) {
      assert.equal(isPrivateHost(host), true, host);
    }
    for (const host of ['asr.example.com', '8.8.8.8', '172.32.0.1', '[2001:db8::1]']) {
      assert.equal(isPrivateHost(host), false, host);
    }
  });

  it("checks the queue's callback URL in full but prints its token redacted", async () => {
    const token = 't'.repeat(40);
    const queue: AsrQueue = {
      queueId: 'p0123',
      state: 'Active',
      notifyConfig: { State: 'On', Type: 'Url', Url: `http://127.0.0.1:8787/ci/queue?token=${token}` },
    };
    const settings: DoctorSettings = { credentials: 'permanent keys', callbackSecret: 'set', problems: [] };
    const outcome = await checkCallbacks(settings, queue, new AbortController().signal);
    const printed = JSON.stringify(outcome);
    assert.equal(outcome.status, 'warn', 'a local http URL is one real CI cannot call');
    assert.ok(!printed.includes(token), 'the token is not printed');
    assert.match(printed, /\/ci\/queue\?token=redacted/);
    assert.match(
      printed,
      /queues notify p0123 --url \\"https:\/\/<public host>\/ci\/queue\?token=\$RECEIVER_QUEUE_TOKEN/,
    );
  });

  it('reads the callback settings without keeping any secret, and reports malformed URLs', () => {
    const settings = readDoctorSettings({
      TENCENT_SECRET_ID: 'AKIDsecretid',
      TENCENT_SECRET_KEY: 'secretkey',
      TENCENT_SECURITY_TOKEN: 'token-value',
      CALLBACK_PUBLIC_BASE_URL: 'https://asr.example.com',
      CALLBACK_SECRET: 'xyzzy123',
      RECEIVER_HEALTH_URL: 'not a url',
    });
    assert.equal(settings.credentials, 'temporary keys (STS token)');
    assert.equal(settings.callbackSecret, 'too short');
    assert.deepEqual(settings.problems, ['RECEIVER_HEALTH_URL must be an http(s) URL (got "not a url")']);
    const text = JSON.stringify(settings);
    for (const secret of ['AKIDsecretid', 'secretkey', 'token-value', 'xyzzy123']) assert.ok(!text.includes(secret));
  });

  it('parses its flags, refusing malformed URLs and timeouts', () => {
    assert.deepEqual(parseCommandLine(['doctor', '--json', '--queue', 'p1', '--timeout', '3']), {
      kind: 'doctor',
      json: true,
      queueId: 'p1',
      callbackUrl: undefined,
      receiverHealthUrl: undefined,
      timeoutMs: 3000,
    });
    assert.throws(() => parseCommandLine(['doctor', '--receiver-health', 'nope']), /--receiver-health must be/);
    assert.throws(() => parseCommandLine(['doctor', '--timeout', '0']), /--timeout must be a whole number/);
    assert.throws(() => parseCommandLine(['doctor', 'extra']), /Unexpected argument/);
  });
});
