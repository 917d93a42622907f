import type { Client } from '@temporalio/client';
import { processCpuMs, selfCpuMs } from './process-cpu';
import { batchItemWorkflowId } from '../../src/workflows/transcribe-batch/naming';

/** What one batch item costs, from the histories of a sample of items and the batch's own runs. */
export interface ItemHistoryCost {
  sampled: number;
  /** Events of one item's own history (`transcribeBatchItem`), mean. */
  itemEvents: number;
  /** Workflow tasks (completed) of one item's own history, mean. */
  itemWorkflowTasks: number;
  /** Activities scheduled by one item, mean. */
  itemActivities: number;
  /** Timers started by one item, mean. */
  itemTimers: number;
  /** Search-attribute upserts of one item, mean. */
  itemUpserts: number;
  /** Events of the batch's runs, all runs together, per item. */
  batchEventsPerItem: number;
  /** Workflow tasks of the batch's runs per item (from the largest run). */
  batchWorkflowTasksPerItem: number;
}

type HistoryEvent = NonNullable<
  Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']
>[number];

function count(events: readonly HistoryEvent[], has: (e: HistoryEvent) => unknown): number {
  return events.filter((e) => Boolean(has(e))).length;
}

/**
 * Reads the histories of `sample` evenly spread items of the batch (items are
 * `<batch>/<first run id>/item-<n>`), and of the batch's largest run, and returns the mean cost per item.
 */
export async function itemHistoryCost(
  client: Client,
  batch: { workflowId: string; firstRunId: string; largestRunId: string; eventsTotal: number },
  items: number,
  sample = 20,
): Promise<ItemHistoryCost> {
  const picks = Array.from({ length: Math.min(sample, items) }, (_, i) =>
    Math.floor((i * items) / Math.min(sample, items)),
  );
  const totals = { events: 0, tasks: 0, activities: 0, timers: 0, upserts: 0 };
  for (const index of picks) {
    const events =
      (await client.workflow.getHandle(batchItemWorkflowId(batch.workflowId, batch.firstRunId, index)).fetchHistory())
        .events ?? [];
    totals.events += events.length;
    totals.tasks += count(events, (e) => e.workflowTaskCompletedEventAttributes);
    totals.activities += count(events, (e) => e.activityTaskScheduledEventAttributes);
    totals.timers += count(events, (e) => e.timerStartedEventAttributes);
    totals.upserts += count(events, (e) => e.upsertWorkflowSearchAttributesEventAttributes);
  }
  // The largest run's tasks per item started stand for every run.
  const largestRun =
    (await client.workflow.getHandle(batch.workflowId, batch.largestRunId).fetchHistory()).events ?? [];
  const runItems = Math.max(
    1,
    count(largestRun, (e) => e.startChildWorkflowExecutionInitiatedEventAttributes),
  );
  const n = Math.max(1, picks.length);
  const mean = (value: number) => Math.round((value / n) * 10) / 10;
  return {
    sampled: picks.length,
    itemEvents: mean(totals.events),
    itemWorkflowTasks: mean(totals.tasks),
    itemActivities: mean(totals.activities),
    itemTimers: mean(totals.timers),
    itemUpserts: mean(totals.upserts),
    batchEventsPerItem: Math.round((batch.eventsTotal / items) * 10) / 10,
    batchWorkflowTasksPerItem:
      Math.round((count(largestRun, (e) => e.workflowTaskCompletedEventAttributes) / runItems) * 10) / 10,
  };
}

/** CPU (ms) used by each of a set of processes between `start()` and the returned `stop()`. */
export function cpuMeter(pids: Record<string, number | undefined>): () => Record<string, number> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid)]));
  const self0 = selfCpuMs();
  return () => ({
    ...Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processCpuMs(pid) - before[name]!])),
    benchProcess: selfCpuMs() - self0,
  });
}
