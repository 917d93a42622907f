import type { ClientInterceptors } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry/lib/client';
import type { Tracing } from './tracing';
import { activeTracing } from './tracing';

/**
 * Client interceptors that start a trace for each workflow start and carry the trace context in the headers of
 * starts and signals; none while tracing is off. Pass to `new Client({ interceptors })`.
 */
export function tracingClientInterceptors(tracing: Tracing | undefined = activeTracing()): ClientInterceptors {
  return tracing?.enabled ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : {};
}
