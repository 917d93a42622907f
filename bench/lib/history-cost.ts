import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const { EventType } = temporal.api.enums.v1;

/** Marker names the TypeScript SDK's core writes for a local activity and for `patched()`. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
const PATCH_MARKER = 'core_patch';

/** What one workflow run cost the Temporal server, counted from its history alone. */
export interface HistoryCost {
  events: number;
  /** Events by type, e.g. `ACTIVITY_TASK_SCHEDULED: 2` (the `EVENT_TYPE_` prefix dropped). */
  eventsByType: Record<string, number>;
  /** Workflow tasks completed: each one a poll, a replay step on the worker and a history write. */
  workflowTasks: number;
  /** Activities the server dispatched (`type@taskQueue`), each a task, a poll and a completion write. */
  activities: string[];
  /** Local activities by type: each ran inside a workflow task and is recorded as one marker. */
  localActivities: string[];
  /** `patched()` markers. */
  patchMarkers: number;
  timersStarted: number;
  timersCancelled: number;
  /** Search-attribute upsert events, and how many attribute values they wrote in all. */
  searchAttributeUpserts: number;
  searchAttributeValuesWritten: number;
  /** Memo upserts (`WORKFLOW_PROPERTIES_MODIFIED`). */
  memoUpserts: number;
  /** Callbacks that reached history: signals plus accepted updates. */
  messages: number;
  /**
   * Requests that append to history: the start, each workflow-task completion, each activity completion and each
   * message. A rough count of the server's persistence writes (they batch events, and timers add one when they fire).
   */
  historyWrites: number;
  /** Temporal Cloud Actions this run was billed, as far as its history shows them (see {@link cloudActions}). */
  cloudActions: number;
  cloudActionsByKind: Partial<Record<CloudActionKind, number>>;
}

/**
 * Kinds of Temporal Cloud Action a history shows, after https://docs.temporal.io/cloud/actions ("Temporal Cloud
 * Actions"; docs/benchmarks.md quotes the rules).
 */
export type CloudActionKind =
  | 'workflowStarted'
  | 'activityAttempt'
  | 'localActivityTask'
  | 'timerStarted'
  | 'searchAttributeUpsert'
  | 'signal'
  | 'update'
  | 'childWorkflowStarted'
  | 'nexusOperation';

/** Temporal Cloud Actions counted from one run's history. */
export interface CloudActions {
  total: number;
  byKind: Partial<Record<CloudActionKind, number>>;
}

/** The search attribute the SDK's core upserts for `patched()`; its upserts are exempt from Action counting. */
const CHANGE_VERSION = 'TemporalChangeVersion';

/** Actions the history event `event` stands for (0 for most events). */
function actionsOf(event: HistoryEvent, laTasks: Set<string>): [CloudActionKind, number] | undefined {
  const started = event.workflowExecutionStartedEventAttributes;
  // A child's start is charged to its parent (2 there), so the child's own history does not count it again.
  if (started) return started.parentWorkflowExecution ? undefined : ['workflowStarted', 1];
  // Written once an attempt ends, carrying how many attempts the server started (retries included).
  const activity = event.activityTaskStartedEventAttributes;
  if (activity) return ['activityAttempt', Math.max(1, activity.attempt ?? 1)];
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
    // Every local activity a workflow task ran counts one Action together.
    const task = String(marker.workflowTaskCompletedEventId ?? event.eventId);
    if (laTasks.has(task)) return undefined;
    laTasks.add(task);
    return ['localActivityTask', 1];
  }
  const upsert = event.upsertWorkflowSearchAttributesEventAttributes;
  if (upsert) {
    const names = Object.keys(upsert.searchAttributes?.indexedFields ?? {});
    return names.some((name) => name !== CHANGE_VERSION) ? ['searchAttributeUpsert', 1] : undefined;
  }
  if (event.timerStartedEventAttributes) return ['timerStarted', 1];
  if (event.workflowExecutionSignaledEventAttributes) return ['signal', 1];
  if (event.signalExternalWorkflowExecutionInitiatedEventAttributes) return ['signal', 1];
  if (event.workflowExecutionUpdateAcceptedEventAttributes) return ['update', 1];
  if (event.childWorkflowExecutionStartedEventAttributes) return ['childWorkflowStarted', 2];
  if (event.nexusOperationScheduledEventAttributes) return ['nexusOperation', 1];
  if (event.nexusOperationCancelRequestedEventAttributes) return ['nexusOperation', 1];
  return undefined;
}

/**
 * The Temporal Cloud Actions one run's history shows, by the published definition: the run's start (a client start,
 * signal-with-start or continue-as-new: each run counts its own), every activity attempt the server started, one per
 * workflow task that ran local activities, every timer started, every search-attribute upsert except the SDK's
 * `TemporalChangeVersion` ones, every signal received or sent, every accepted update, a child workflow started (2, in
 * the parent's history), a Nexus operation scheduled or cancelled. Not in a history, so not counted: queries,
 * rejected updates, heartbeats that reached the server, resets, schedules; add them from their own counters.
 */
export function cloudActions(history: History): CloudActions {
  const byKind: Partial<Record<CloudActionKind, number>> = {};
  const laTasks = new Set<string>();
  let total = 0;
  for (const event of history.events ?? []) {
    const found = actionsOf(event, laTasks);
    if (!found) continue;
    const [kind, count] = found;
    byKind[kind] = (byKind[kind] ?? 0) + count;
    total += count;
  }
  return { total, byKind };
}

function typeName(event: HistoryEvent): string {
  return (EventType[event.eventType ?? 0] ?? String(event.eventType)).replace(/^EVENT_TYPE_/, '');
}

/** The activity type a local-activity marker records (core writes its metadata as JSON under `data`). */
function localActivityType(event: HistoryEvent): string {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  if (!data) return 'unknown';
  const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string };
  return parsed.activity_type ?? 'unknown';
}

/** Counts what a run's history says it cost (see {@link HistoryCost}). */
export function historyCost(history: History): HistoryCost {
  const events = history.events ?? [];
  const eventsByType: Record<string, number> = {};
  const cost: HistoryCost = {
    events: events.length,
    eventsByType,
    workflowTasks: 0,
    activities: [],
    localActivities: [],
    patchMarkers: 0,
    timersStarted: 0,
    timersCancelled: 0,
    searchAttributeUpserts: 0,
    searchAttributeValuesWritten: 0,
    memoUpserts: 0,
    messages: 0,
    historyWrites: 0,
    cloudActions: 0,
    cloudActionsByKind: {},
  };
  for (const event of events) {
    const type = typeName(event);
    eventsByType[type] = (eventsByType[type] ?? 0) + 1;
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) cost.activities.push(`${scheduled.activityType?.name}@${scheduled.taskQueue?.name}`);
    const marker = event.markerRecordedEventAttributes?.markerName;
    if (marker === LOCAL_ACTIVITY_MARKER) cost.localActivities.push(localActivityType(event));
    if (marker === PATCH_MARKER) cost.patchMarkers += 1;
    const upserted = event.upsertWorkflowSearchAttributesEventAttributes;
    if (upserted) {
      cost.searchAttributeUpserts += 1;
      cost.searchAttributeValuesWritten += Object.keys(upserted.searchAttributes?.indexedFields ?? {}).length;
    }
  }
  const count = (type: string) => eventsByType[type] ?? 0;
  cost.workflowTasks = count('WORKFLOW_TASK_COMPLETED');
  cost.timersStarted = count('TIMER_STARTED');
  cost.timersCancelled = count('TIMER_CANCELED');
  cost.memoUpserts = count('WORKFLOW_PROPERTIES_MODIFIED');
  cost.messages = count('WORKFLOW_EXECUTION_SIGNALED') + count('WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
  cost.historyWrites =
    1 +
    cost.workflowTasks +
    count('ACTIVITY_TASK_COMPLETED') +
    count('ACTIVITY_TASK_FAILED') +
    count('WORKFLOW_EXECUTION_SIGNALED');
  const actions = cloudActions(history);
  cost.cloudActions = actions.total;
  cost.cloudActionsByKind = actions.byKind;
  return cost;
}
