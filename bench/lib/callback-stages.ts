import type { temporal } from '@temporalio/proto';
import { tsToMs } from '@temporalio/common/lib/time';
import { percentile } from './pool';
import type { CallbackAttempt } from './timing-proxy';

type History = temporal.api.history.v1.IHistory;
type Event = temporal.api.history.v1.IHistoryEvent;

/** Where one genuine callback's latency went, in ms, from the proxy's records and the run's history. */
export interface CallbackStages {
  /** Requests the callback took (CI retries after a non-2xx answer). */
  attempts: number;
  /** The receiver's answer to the first request (undefined when the proxy saw none). */
  firstStatus?: number;
  /** First arrival to the arrival of the request that was answered 2xx: retries and their waits. */
  retryWaitMs: number;
  /** That request's arrival to the receiver's answer: token check, ledger, Temporal update (or signal) round trip. */
  receiverMs: number;
  /**
   * Arrival of the answered request to the server scheduling the workflow task that took the callback: the receiver's
   * own work (token, limits, body, ledger, a status query when it learns the job) and the update's RPC.
   */
  toTaskScheduledMs: number;
  /** That task scheduled to started: the server's queue and the worker's poll. */
  taskQueuedMs: number;
  /** That task's start to the run's close (worker: activation, the check, the commands, the close). */
  taskToCloseMs: number;
}

/** The stages of one run's genuine callback; `closeMs` is the run's close time. */
export function callbackStages(attempts: readonly CallbackAttempt[], history: History): CallbackStages {
  const first = attempts[0]!;
  const answered = attempts.find((a) => a.status !== undefined && a.status < 300) ?? attempts[attempts.length - 1]!;
  const events = history.events ?? [];
  const closeMs = tsToMs(events[events.length - 1]!.eventTime);
  // The workflow task that took the callback: for an update the one whose completion accepted it (started before
  // the accepted event), for a signal the first one started after it.
  const message = events.findIndex(
    (e) => e.workflowExecutionSignaledEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes,
  );
  const isTaskStart = (e: Event) => Boolean(e.workflowTaskStartedEventAttributes);
  const task = !events[message]
    ? undefined
    : events[message].workflowExecutionUpdateAcceptedEventAttributes
      ? events.slice(0, message).reverse().find(isTaskStart)
      : events.slice(message).find(isTaskStart);
  const startMs = task ? tsToMs(task.eventTime) : closeMs;
  const scheduled =
    task &&
    events.find((e) => e.eventId?.toString() === task.workflowTaskStartedEventAttributes?.scheduledEventId?.toString());
  const scheduledMs = scheduled ? tsToMs(scheduled.eventTime) : startMs;
  return {
    attempts: attempts.length,
    firstStatus: first.status,
    retryWaitMs: answered.at - first.at,
    receiverMs: (answered.answeredAt ?? answered.at) - answered.at,
    toTaskScheduledMs: scheduledMs - answered.at,
    taskQueuedMs: startMs - scheduledMs,
    taskToCloseMs: closeMs - startMs,
  };
}

/** How many genuine callbacks were first answered with each status. */
export function firstStatuses(stages: readonly CallbackStages[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { firstStatus } of stages) counts[String(firstStatus)] = (counts[String(firstStatus)] ?? 0) + 1;
  return counts;
}

/** p50 / p99 / max of each stage over many runs. */
export function summariseStages(stages: readonly CallbackStages[]): Record<string, [number, number, number]> {
  const keys = ['attempts', 'retryWaitMs', 'receiverMs', 'toTaskScheduledMs', 'taskQueuedMs', 'taskToCloseMs'] as const;
  return Object.fromEntries(
    keys.map((key) => {
      const values = stages.map((s) => s[key]);
      return [key, [percentile(values, 50), percentile(values, 99), Math.max(...values)]];
    }),
  );
}
