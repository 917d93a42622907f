import type { Logger } from '@temporalio/common';
import type { NativeConnection, WorkerOptions } from '@temporalio/worker';
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
   * worker's), so the same rate limit spaces them. The plugin always gives them, and tells its activities that lone
   * runs may submit there (`sharedSubmitQueue`). Default: admissions only.
   */
  deps?: ActivityDeps;
  /**
   * Span export of the transcription worker (`startTracing()`): an admission's or submit's span, a child of the
   * workflow's, shows how long it waited for quota. Default off.
   */
  tracing?: Tracing;
  /**
   * The transcription worker's Worker Versioning options, as they are: a versioned worker's quota worker polls as the
   * same version, so a run's submits and admissions run the activity code of the build the run is pinned to, and the
   * version drains (and its workers stop) as one. Unversioned when unset.
   */
  workerDeploymentOptions?: WorkerOptions['workerDeploymentOptions'];
}

/** What the SDK's worker logs, at WARN, on `run()` of a worker without workflows: this one has none on purpose. */
const NO_WORKFLOWS_WARNING = 'No workflows registered, not polling for workflow tasks';

/** `logger` without the one warning an activity-only worker gives for being activity-only. */
function withoutNoWorkflowsWarning(logger: Logger): Logger {
  return {
    log: (level, message, meta) => {
      if (level !== 'WARN' || message !== NO_WORKFLOWS_WARNING) logger.log(level, message, meta);
    },
    trace: (message, meta) => void logger.trace(message, meta),
    debug: (message, meta) => void logger.debug(message, meta),
    info: (message, meta) => void logger.info(message, meta),
    warn: (message, meta) => {
      if (message !== NO_WORKFLOWS_WARNING) logger.warn(message, meta);
    },
    error: (message, meta) => void logger.error(message, meta),
  };
}

/**
 * Creates the activity-only worker of the CI quota queue. Temporal's server enforces
 * `maxTaskQueueActivitiesPerSecond` for the whole queue, whichever and however many workers poll it (the value of
 * the latest poll wins, so give every worker the same one). `TencentCiAsrPlugin` runs one beside each worker it
 * configures; a deployment with several worker processes may run it in all of them or in one.
 */
export async function createQuotaWorker(options: QuotaWorkerOptions): Promise<Worker> {
  const { deps } = options;
  const activities = deps ? createActivities(deps) : undefined;
  const submits = activities ? { submitTranscriptionJob: activities.submitTranscriptionJob.bind(activities) } : {};
  const worker = await Worker.create({
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
    ...(options.workerDeploymentOptions ? { workerDeploymentOptions: options.workerDeploymentOptions } : {}),
  });
  // The SDK logs this warning from the worker's own logger (not core's), which it takes from the Runtime with no
  // per-worker option: replacing that one field is the only way to keep every process start free of a false alarm.
  const own = worker as unknown as { logger: Logger };
  Object.defineProperty(worker, 'logger', { value: withoutNoWorkflowsWarning(own.logger) });
  return worker;
}

/**
 * Runs `main` (through `runMain`, the rest of the plugin chain) and `quota` together: when either stops or fails the
 * other is shut down (and drains), and the first failure is what rejects, so a process never runs half a worker.
 */
export async function runWithQuotaWorker(main: Worker, runMain: () => Promise<void>, quota: Worker): Promise<void> {
  const stop = (worker: Worker): void => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  const results = await Promise.allSettled([
    runMain().finally(() => stop(quota)),
    quota.run().finally(() => stop(main)),
  ]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
