import type { NativeConnection } from '@temporalio/worker';
import { Worker } from '@temporalio/worker';
import { quotaActivities } from '../activities/batch-activities';
import { createActivities } from '../activities/create-activities';
import type { ActivityDeps } from '../activities/deps';
import type { Tracing } from '../observability/tracing';
import { withObservability } from '../observability/worker-options';
import { ciQuotaTaskQueue } from '../shared/constants';

/** Default CI submits per second across all workers of a task queue (Tencent's API limits are per account). */
export const DEFAULT_CI_SUBMITS_PER_SECOND = 10;

/** Options of {@link createQuotaWorker}. */
export interface QuotaWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  /** The main task queue; the quota queue is `ciQuotaTaskQueue(taskQueue)`. */
  taskQueue: string;
  /** Admissions per second across every worker polling the quota queue; default 10. */
  submitsPerSecond?: number;
  /**
   * Also run lone `transcribeMedia` runs' submits on the quota queue, with these dependencies (the transcription
   * worker's), so the same rate limit spaces them. Give the transcription worker's deps `sharedSubmitQueue: true`
   * only when every worker of the quota queue has them. Default: admissions only.
   */
  deps?: ActivityDeps;
  /**
   * Span export of the transcription worker (`startTracing()`): an admission's or submit's span, a child of the
   * workflow's, shows how long it waited for quota. Default off.
   */
  tracing?: Tracing;
}

/**
 * Creates the activity-only worker of the CI quota queue. Temporal's server enforces
 * `maxTaskQueueActivitiesPerSecond` for the whole queue, whichever and however many workers poll it (the value of
 * the latest poll wins, so give every worker the same one). Run it in the same process as the transcription worker;
 * a deployment with several worker processes may run it in all of them or in one.
 */
export async function createQuotaWorker(options: QuotaWorkerOptions): Promise<Worker> {
  const { deps } = options;
  const activities = deps ? createActivities(deps) : undefined;
  const submits = activities ? { submitTranscriptionJob: activities.submitTranscriptionJob.bind(activities) } : {};
  return await Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: ciQuotaTaskQueue(options.taskQueue),
    activities: { ...quotaActivities, ...submits },
    // Activity spans and the CI error counter, like the transcription worker (no workflows here: no span sink).
    interceptors: withObservability({}, options.tracing).interceptors,
    maxTaskQueueActivitiesPerSecond: options.submitsPerSecond ?? DEFAULT_CI_SUBMITS_PER_SECOND,
    // An admission takes no time: a few slots keep up with any rate the server allows. A submit is a few CI calls, so
    // a slow CI would cap the rate at slots / latency: as many as the transcription worker has by default.
    maxConcurrentActivityTaskExecutions: deps ? 100 : 20,
    // A submit in flight gets the transcription worker's time to finish on SIGTERM; admissions need none.
    shutdownGraceTime: deps ? '30s' : '5s',
  });
}
