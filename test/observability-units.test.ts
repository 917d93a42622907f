import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { ApplicationFailure } from '@temporalio/common';
import { ConfigError } from '../src/config/reader';
import { TRACE_HEADER as OTEL_TRACE_HEADER } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { ciErrorOf } from '../src/observability/activity-metrics';
import { TRACE_HEADER } from '../src/observability/traced-run';
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

describe('startTracing with an OTLP endpoint', () => {
  it('exports spans over OTLP/HTTP to <endpoint>/v1/traces with the service name, and flushes on shutdown', async () => {
    const received: { path?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ path: req.url, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const tracing = startTracing({
        serviceName: 'unit-worker',
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/` },
      });
      assert.equal(tracing.enabled, true);
      trace.getTracer('unit').startSpan('exported-span').end();
      await tracing.shutdown();
      assert.equal(received.length, 1);
      assert.equal(received[0]!.path, '/v1/traces');
      assert.match(received[0]!.body, /exported-span/);
      assert.match(received[0]!.body, /unit-worker/);
    } finally {
      server.close();
    }
  });
});

describe('ciErrorOf', () => {
  it('reads code and action from the failures the activities build from CI errors', () => {
    const failure = ApplicationFailure.create({
      type: FailureType.CiTransientError,
      message: 'CI submit failed',
      details: [{ code: 'SlowDown', statusCode: 503, action: 'submit' }],
    });
    assert.deepEqual(ciErrorOf(failure), { code: 'SlowDown', action: 'submit' });
  });

  it('ignores other failures and errors', () => {
    const other = ApplicationFailure.create({ type: FailureType.CiJobFailed, details: [{ code: 'X', action: 'get' }] });
    assert.equal(ciErrorOf(other), undefined);
    assert.equal(ciErrorOf(new Error('boom')), undefined);
    assert.equal(ciErrorOf(ApplicationFailure.create({ type: FailureType.CiTransientError })), undefined);
  });
});

describe('the trace header an untraced run is recognised by', () => {
  it('is the header the OpenTelemetry interceptors carry the trace context in', () => {
    assert.equal(TRACE_HEADER, OTEL_TRACE_HEADER);
  });
});
