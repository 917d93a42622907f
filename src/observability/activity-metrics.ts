import type { Context } from '@temporalio/activity';
import { metricMeter } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import { FailureType } from '../shared/failure-types';
import { WorkerMetric } from './metric-names';

/** The CI code and action of an activity failure that came from a CI or COS request (see `toActivityFailure`). */
export function ciErrorOf(err: unknown): { code: string; action: string } | undefined {
  if (!(err instanceof ApplicationFailure)) return undefined;
  if (err.type !== FailureType.CiTransientError && err.type !== FailureType.CiRequestRejected) return undefined;
  const details = err.details?.[0] as { code?: unknown; action?: unknown } | undefined;
  if (typeof details?.code !== 'string' || typeof details.action !== 'string') return undefined;
  return { code: details.code, action: details.action };
}

/** Counts every activity attempt that failed on a CI or COS error, by CI code and action. */
class CiErrorCounter implements ActivityInboundCallsInterceptor {
  constructor(private readonly ctx: Context) {}

  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    try {
      return await next(input);
    } catch (err) {
      const ci = ciErrorOf(err);
      if (ci) {
        this.ctx.metricMeter
          .createCounter(WorkerMetric.ciErrors, 'errors', 'Activity attempts failed by a CI or COS error')
          .add(1, { code: ci.code, action: ci.action });
      }
      throw err;
    }
  }
}

/** The activity interceptor factory of the business metrics. */
export function activityMetricsInterceptor(ctx: Context): { inbound: ActivityInboundCallsInterceptor } {
  return { inbound: new CiErrorCounter(ctx) };
}

/** Counts one duplicate CI job of a step found by a retried submit; call from inside the submit activity. */
export function countDuplicateJob(outcome: string): void {
  metricMeter
    .createCounter(WorkerMetric.duplicateJobs, 'jobs', 'Extra CI jobs of one step found by a retried submit')
    .add(1, { outcome });
}
