import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { ConfigError } from '../src/config/env-reader';
import { ciErrorOf } from '../src/observability/activity-metrics';
import { otlpTracingRequested, startTracing, TRACING_OFF } from '../src/observability/tracing';
import { FailureType } from '../src/shared/failure-types';

describe('otlpTracingRequested', () => {
  it('is off unless an exporter or an endpoint is configured', () => {
    assert.equal(otlpTracingRequested({}), false);
    assert.equal(otlpTracingRequested({ OTEL_SERVICE_NAME: 'worker' }), false);
    assert.equal(otlpTracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }), false);
  });

  it('is on for an OTLP endpoint or OTEL_TRACES_EXPORTER=otlp', () => {
    assert.equal(otlpTracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }), true);
    assert.equal(otlpTracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }), true);
    assert.equal(otlpTracingRequested({ OTEL_TRACES_EXPORTER: 'otlp' }), true);
    assert.equal(otlpTracingRequested({ OTEL_TRACES_EXPORTER: ' OTLP , none' }), true);
  });

  it('honours none and OTEL_SDK_DISABLED over an endpoint', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    assert.equal(otlpTracingRequested({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }), false);
    assert.equal(otlpTracingRequested({ ...endpoint, OTEL_SDK_DISABLED: 'true' }), false);
  });

  it('refuses exporters this package does not ship, naming the variable', () => {
    assert.throws(
      () => otlpTracingRequested({ OTEL_TRACES_EXPORTER: 'zipkin' }),
      (err: unknown) =>
        err instanceof ConfigError && /OTEL_TRACES_EXPORTER: unsupported exporter zipkin/.test(err.message),
    );
  });

  it('returns the shared off value without registering anything when nothing is set', () => {
    assert.equal(startTracing({ serviceName: 'x', env: {} }), TRACING_OFF);
  });
});

describe('ciErrorOf', () => {
  it('reads code and action from the failures the activities build from CI errors', () => {
    const failure = ApplicationFailure.create({
      type: FailureType.CiTransient,
      message: 'CI submit failed',
      details: [{ code: 'SlowDown', statusCode: 503, action: 'submit' }],
    });
    assert.deepEqual(ciErrorOf(failure), { code: 'SlowDown', action: 'submit' });
  });

  it('ignores other failures and errors', () => {
    const other = ApplicationFailure.create({ type: FailureType.CiJobFailed, details: [{ code: 'X', action: 'get' }] });
    assert.equal(ciErrorOf(other), undefined);
    assert.equal(ciErrorOf(new Error('boom')), undefined);
    assert.equal(ciErrorOf(ApplicationFailure.create({ type: FailureType.CiTransient })), undefined);
  });
});
