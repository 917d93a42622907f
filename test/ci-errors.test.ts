import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact, toCiError } from '../src/ci/classify';
import { CiError, CiResponseError } from '../src/ci/errors';
import { callSdk } from '../src/ci/sdk-call';

const ctx = {
  action: 'submit' as const,
  target: 'demo-1250000000 (ap-guangzhou)',
  secrets: ['AKIDsecretid', 'sk-secret'],
};

/** An error shaped like cos-nodejs-sdk-v5's for a response with an `<Error>` body. */
function httpError(statusCode: number, code: string, message = 'm', headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), {
    code,
    statusCode,
    headers,
    error: { Code: code, Message: message, RequestId: 'body-rid' },
  });
}

describe('toCiError classification', () => {
  const cases: [string, unknown, { code: string; retryable: boolean; outcomeUnknown: boolean }][] = [
    [
      '400 InvalidArgument',
      httpError(400, 'InvalidArgument'),
      { code: 'InvalidArgument', retryable: false, outcomeUnknown: false },
    ],
    [
      '403 AccessDenied',
      httpError(403, 'AccessDenied'),
      { code: 'AccessDenied', retryable: false, outcomeUnknown: false },
    ],
    [
      '403 SignatureDoesNotMatch',
      httpError(403, 'SignatureDoesNotMatch'),
      { code: 'SignatureDoesNotMatch', retryable: false, outcomeUnknown: false },
    ],
    [
      '403 InvalidAccessKeyId',
      httpError(403, 'InvalidAccessKeyId'),
      { code: 'InvalidAccessKeyId', retryable: false, outcomeUnknown: false },
    ],
    [
      '403 RequestTimeTooSkewed (SDK corrects its clock)',
      httpError(403, 'RequestTimeTooSkewed'),
      { code: 'RequestTimeTooSkewed', retryable: true, outcomeUnknown: false },
    ],
    [
      '404 without body',
      Object.assign(new Error('Not Found'), { code: '404', statusCode: 404 }),
      { code: '404', retryable: false, outcomeUnknown: false },
    ],
    ['429', httpError(429, 'TooManyRequests'), { code: 'TooManyRequests', retryable: true, outcomeUnknown: false }],
    [
      '503 SlowDown (throttled)',
      httpError(503, 'SlowDown'),
      { code: 'SlowDown', retryable: true, outcomeUnknown: false },
    ],
    [
      '500 InternalError',
      httpError(500, 'InternalError'),
      { code: 'InternalError', retryable: true, outcomeUnknown: true },
    ],
    [
      '502 without body',
      Object.assign(new Error('Bad Gateway'), { code: '502', statusCode: 502 }),
      { code: '502', retryable: true, outcomeUnknown: true },
    ],
    [
      'ECONNRESET',
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      { code: 'ECONNRESET', retryable: true, outcomeUnknown: true },
    ],
    [
      'ETIMEDOUT',
      Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }),
      { code: 'ETIMEDOUT', retryable: true, outcomeUnknown: true },
    ],
    [
      'ESOCKETTIMEDOUT',
      Object.assign(new Error('timeout'), { code: 'ESOCKETTIMEDOUT' }),
      { code: 'ESOCKETTIMEDOUT', retryable: true, outcomeUnknown: true },
    ],
    [
      'ECONNREFUSED',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      { code: 'ECONNREFUSED', retryable: true, outcomeUnknown: false },
    ],
    [
      'ENOTFOUND',
      Object.assign(new Error('getaddrinfo'), { code: 'ENOTFOUND' }),
      { code: 'ENOTFOUND', retryable: true, outcomeUnknown: false },
    ],
    ['a string', 'weird', { code: 'UnknownError', retryable: true, outcomeUnknown: true }],
  ];
  for (const [label, raw, expected] of cases) {
    it(label, () => {
      const err = toCiError(raw, ctx);
      assert.ok(err instanceof CiError);
      assert.equal(err.name, 'CiError');
      assert.deepEqual({ code: err.code, retryable: err.retryable, outcomeUnknown: err.outcomeUnknown }, expected);
      assert.equal(err.cause, raw);
    });
  }

  it('takes the request id from x-ci-request-id, else the <Error> body; names action, target, status', () => {
    const err = toCiError(httpError(400, 'InvalidArgument', 'bad engine', { 'x-ci-request-id': 'hdr-rid' }), ctx);
    assert.equal(err.requestId, 'hdr-rid');
    assert.equal(err.statusCode, 400);
    assert.equal(
      err.message,
      'CI submit failed for demo-1250000000 (ap-guangzhou): InvalidArgument (HTTP 400): bad engine',
    );
    assert.equal(toCiError(httpError(400, 'InvalidArgument'), ctx).requestId, 'body-rid');
  });

  it('a malformed 2xx body is not retryable but leaves the outcome unknown (a job may exist)', () => {
    const err = toCiError(new CiResponseError('no JobsDetail'), ctx);
    assert.deepEqual([err.code, err.retryable, err.outcomeUnknown], ['MalformedResponse', false, true]);
  });

  it('never includes credentials in the message', () => {
    const err = toCiError(httpError(403, 'SignatureDoesNotMatch', 'q-ak=AKIDsecretid signed with sk-secret'), ctx);
    assert.doesNotMatch(err.message, /AKIDsecretid|sk-secret/);
    assert.equal(redact('a AKIDsecretid b', ctx.secrets), 'a *** b');
  });
});

describe('callSdk', () => {
  it('an aborted signal rejects before the call starts', async () => {
    let started = false;
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await assert.rejects(
      callSdk(
        () => {
          started = true;
          return Promise.resolve(1);
        },
        ctx,
        controller.signal,
      ),
      /stop/,
    );
    assert.equal(started, false);
  });

  it('an abort in flight rejects with the reason and tears the call down', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by workflow');
    let tornDown: unknown;
    const pending = callSdk(
      () => new Promise<number>(() => undefined),
      ctx,
      controller.signal,
      (r) => (tornDown = r),
    );
    controller.abort(reason);
    await assert.rejects(pending, (err) => err === reason);
    assert.equal(tornDown, reason);
  });

  it('classifies SDK rejections', async () => {
    await assert.rejects(
      callSdk(() => Promise.reject(httpError(500, 'InternalError')), ctx),
      {
        name: 'CiError',
        code: 'InternalError',
        retryable: true,
      },
    );
  });
});
