import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { IResource } from '@opentelemetry/resources';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BasicTracerProvider, BatchSpanProcessor, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ConfigError } from '../config/reader';

/** Tracing of one process: on (spans go to `spanProcessor`) or off (nothing is registered or exported). */
export interface Tracing {
  readonly enabled: boolean;
  /** Where workflow spans (sent out of the sandbox through a sink) and all other spans go. */
  readonly spanProcessor: SpanProcessor;
  readonly resource: IResource;
  /** Flushes buffered spans and stops exporting; call once before the process exits. */
  shutdown(): Promise<void>;
}

/** Tracing that is off: workflow spans are dropped in the worker, no provider, context manager or exporter exists. */
export const TRACING_OFF: Tracing = {
  enabled: false,
  spanProcessor: new NoopSpanProcessor(),
  resource: Resource.empty(),
  shutdown: () => Promise.resolve(),
};

let active: Tracing | undefined;

/** The tracing {@link startTracing} registered in this process, if any. */
export function activeTracing(): Tracing | undefined {
  return active;
}

/**
 * Whether the standard variables ask for OTLP trace export: `OTEL_TRACES_EXPORTER=otlp`, or an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) with `OTEL_TRACES_EXPORTER` unset.
 * `OTEL_SDK_DISABLED=true` and `OTEL_TRACES_EXPORTER=none` turn it off. Unlike the OTel SDK default, nothing set
 * means off, so a worker without a collector does not retry exports forever.
 */
export function otlpTracingRequested(env: Record<string, string | undefined>): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const unknown = exporters.filter((name) => name !== 'otlp' && name !== 'none');
  if (unknown.length > 0) {
    throw new ConfigError('tracing', [
      `OTEL_TRACES_EXPORTER: unsupported exporter ${unknown.join(', ')} (otlp or none)`,
    ]);
  }
  if (exporters.length > 0) return exporters.includes('otlp');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim());
}

/** The OTLP/HTTP traces URL the variables name, per the OTel spec (`<endpoint>/v1/traces` for the generic one). */
function exporterUrl(env: Record<string, string | undefined>): { url?: string } {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return { url: traces };
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? { url: `${base.replace(/\/+$/, '')}/v1/traces` } : {};
}

/** Options of {@link startTracing}. */
export interface StartTracingOptions {
  /** `service.name` when `OTEL_SERVICE_NAME` is unset, e.g. `ci-asr-worker`. */
  serviceName: string;
  /** The environment to read the `OTEL_*` variables from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Send spans here instead of OTLP, and trace regardless of the variables (tests, file capture). */
  spanProcessor?: SpanProcessor;
}

/**
 * Turns tracing on when asked (see {@link otlpTracingRequested}) or given a `spanProcessor`: registers a global tracer
 * provider with W3C propagation and an AsyncLocalStorage context manager, so the Temporal interceptors, the CI/COS
 * request spans and the receiver share one trace per transcription. Returns {@link TRACING_OFF} otherwise.
 */
export function startTracing(options: StartTracingOptions): Tracing {
  const env = options.env ?? process.env;
  if (!options.spanProcessor && !otlpTracingRequested(env)) return TRACING_OFF;
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || options.serviceName;
  const resource = envDetectorSync.detect().merge(new Resource({ 'service.name': serviceName }));
  // The exporter reads headers and timeout from OTEL_EXPORTER_OTLP_* itself; the endpoint comes from `env`.
  const spanProcessor = options.spanProcessor ?? new BatchSpanProcessor(new OTLPTraceExporter(exporterUrl(env)));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new W3CTraceContextPropagator(),
  });
  const tracing: Tracing = {
    enabled: true,
    spanProcessor,
    resource,
    shutdown: async () => {
      if (active === tracing) active = undefined;
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  active = tracing;
  return tracing;
}
