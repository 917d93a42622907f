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
 * The workflow span sink is always registered: a run started with a trace context reports its spans whatever this
 * worker's setting (they go to a no-op processor when tracing is off), and replaying such a run needs the sink too.
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
