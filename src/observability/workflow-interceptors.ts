/**
 * The workflow interceptors every bundle of this package's workflows contains (see `WORKFLOW_INTERCEPTOR_MODULES`):
 * OpenTelemetry tracing and the business metrics.
 *
 * Tracing is decided once per run, from history: a run is traced when its start carried a trace context (the
 * `_tracer-data` header a tracing client, a traced parent or a traced earlier run adds). An untraced run creates no
 * span, draws no span id from the seeded `Math.random` and sends nothing through the span sink: its interceptors only
 * pass calls on. The decision never reads the worker's environment, so a run replays the same on any worker.
 */
import type * as OtelWorkflow from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { WorkflowInterceptors } from '@temporalio/workflow';
import { workflowInfo } from '@temporalio/workflow';
import { tracedRunInterceptors } from './traced-run';
import { transcriptionMetricsInterceptors } from './workflow-metrics';

/**
 * The OpenTelemetry workflow interceptors, loaded by the first traced run only. The SDK evaluates a bundle's
 * interceptor modules again for each run; evaluating OpenTelemetry's (its API, trace SDK and semantic conventions)
 * was the largest part of an untraced run's workflow CPU in the throughput profile.
 */
function otel(): typeof OtelWorkflow {
  // A require, not an import: the bundler still includes the module, but evaluates it only when this runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@temporalio/interceptors-opentelemetry/lib/workflow') as typeof OtelWorkflow;
}

/** Interceptor factory the SDK calls once per workflow run. */
export const interceptors = (): WorkflowInterceptors => {
  const metrics =
    // Batch items run transcribeMedia in their own workflow type; they are transcriptions too.
    ['transcribeMedia', 'transcribeBatchItem'].includes(workflowInfo().workflowType)
      ? transcriptionMetricsInterceptors()
      : { inbound: [], outbound: [] };
  const tracing = tracedRunInterceptors(() => {
    const { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } =
      otel();
    return {
      inbound: new OpenTelemetryInboundInterceptor(),
      outbound: new OpenTelemetryOutboundInterceptor(),
      internals: new OpenTelemetryInternalsInterceptor(),
    };
  });
  return {
    inbound: [tracing.inbound, ...metrics.inbound],
    outbound: [tracing.outbound, ...metrics.outbound],
    internals: [tracing.internals],
  };
};
