/**
 * The workflow interceptors every bundle of this package's workflows contains (see `WORKFLOW_INTERCEPTOR_MODULES`):
 * OpenTelemetry tracing and the business metrics. Tracing's interceptors are present whether or not the worker
 * exports spans: the v1 interceptors draw span ids from the workflow's seeded `Math.random`, so adding or removing them
 * would change the random numbers a running workflow sees (its poll jitter) between one worker and the next.
 */
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { WorkflowInterceptors } from '@temporalio/workflow';
import { workflowInfo } from '@temporalio/workflow';
import { transcriptionMetricsInterceptors } from './workflow-metrics';

/** Interceptor factory the SDK calls once per workflow run. */
export const interceptors = (): WorkflowInterceptors => {
  const metrics =
    // Batch items run transcribeMedia in their own workflow type; they are transcriptions too.
    ['transcribeMedia', 'transcribeBatchItem'].includes(workflowInfo().workflowType)
      ? transcriptionMetricsInterceptors()
      : { inbound: [], outbound: [] };
  return {
    inbound: [new OpenTelemetryInboundInterceptor(), ...metrics.inbound],
    outbound: [new OpenTelemetryOutboundInterceptor(), ...metrics.outbound],
    internals: [new OpenTelemetryInternalsInterceptor()],
  };
};
