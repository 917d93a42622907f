import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import { activityMetricsInterceptor } from './activity-metrics';
import type { Tracing } from './tracing';
import { TRACING_OFF } from './tracing';

/** Workflow interceptor modules to bundle with this package's workflows (tracing and business metrics). */
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [require.resolve('./workflow-interceptors')];

type ObservableOptions = Pick<WorkerOptions, 'interceptors' | 'sinks'>;

/**
 * Adds the business metrics and, when `tracing` is on, the OpenTelemetry activity interceptors to a worker's options.
 * The workflow span sink is always registered because the bundled workflow interceptors always report their spans;
 * with tracing off they go to a no-op processor.
 */
export function withObservability<T extends ObservableOptions>(
  options: T,
  tracing: Tracing = TRACING_OFF,
): T & Required<ObservableOptions> {
  const activity: ActivityInterceptorsFactory[] = [
    ...(tracing.enabled
      ? [
          (ctx: Parameters<ActivityInterceptorsFactory>[0]) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ]
      : []),
    activityMetricsInterceptor,
    ...(options.interceptors?.activity ?? []),
  ];
  return {
    ...options,
    interceptors: { ...options.interceptors, activity },
    sinks: { ...options.sinks, exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
