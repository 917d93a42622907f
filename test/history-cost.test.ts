/**
 * Temporal Cloud Actions counted from small synthetic histories, one rule of https://docs.temporal.io/cloud/actions
 * at a time (docs/benchmarks.md, "Cloud Actions per run").
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { cloudActions, historyCost } from '../bench/lib/history-cost';

/** One event as `temporal workflow show --output json` writes it (type name without its prefix, then attributes). */
type Event = [type: string, attributes?: Record<string, unknown>];

const json = (value: unknown) => ({ data: Buffer.from(JSON.stringify(value)).toString('base64') });

/** The attributes field of an event type, e.g. `TIMER_STARTED` -> `timerStartedEventAttributes`. */
const attributesField = (type: string) =>
  type.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) + 'EventAttributes';

/** A history of the given events, numbered from 1. */
function history(...events: Event[]) {
  return historyFromJSON({
    events: events.map(([type, attributes = {}], i) => ({
      eventId: String(i + 1),
      eventType: `EVENT_TYPE_${type}`,
      [attributesField(type)]: attributes,
    })),
  });
}

const start = (attributes: Record<string, unknown> = {}): Event => ['WORKFLOW_EXECUTION_STARTED', attributes];
const taskCompleted = (): Event => ['WORKFLOW_TASK_COMPLETED'];
const localActivity = (workflowTaskCompletedEventId: number, type = 'pick'): Event => [
  'MARKER_RECORDED',
  {
    markerName: 'core_local_activity',
    workflowTaskCompletedEventId: String(workflowTaskCompletedEventId),
    details: { data: { payloads: [json({ activity_type: type })] } },
  },
];
const upsert = (...names: string[]): Event => [
  'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  { searchAttributes: { indexedFields: Object.fromEntries(names.map((name) => [name, json(['x'])])) } },
];

describe('cloudActions', () => {
  it('counts the start, each activity attempt (retries included) and each timer', () => {
    const actions = cloudActions(
      history(
        start(),
        taskCompleted(),
        ['ACTIVITY_TASK_SCHEDULED'],
        ['ACTIVITY_TASK_STARTED', { attempt: 3 }],
        ['ACTIVITY_TASK_COMPLETED'],
        ['TIMER_STARTED', { timerId: '1' }],
        ['TIMER_FIRED', { timerId: '1' }],
        ['WORKFLOW_EXECUTION_COMPLETED'],
      ),
    );
    assert.deepEqual(actions, { total: 5, byKind: { workflowStarted: 1, activityAttempt: 3, timerStarted: 1 } });
  });

  it('counts local activities once per workflow task that ran them', () => {
    // Two local activities recorded by task 2, one by task 5: two Actions.
    const actions = cloudActions(
      history(start(), taskCompleted(), localActivity(2), localActivity(2, 'check'), taskCompleted(), localActivity(5)),
    );
    assert.equal(actions.byKind.localActivityTask, 2);
    assert.equal(actions.total, 3);
  });

  it('counts search-attribute upserts by command, but not the SDK core TemporalChangeVersion upsert', () => {
    const actions = cloudActions(
      history(start(), upsert('TemporalChangeVersion'), upsert('CiJobId', 'CiJobState'), upsert('CiJobState')),
    );
    assert.deepEqual(actions.byKind, { workflowStarted: 1, searchAttributeUpsert: 2 });
  });

  it('counts signals received and sent, and accepted updates', () => {
    const actions = cloudActions(
      history(
        start(),
        ['WORKFLOW_EXECUTION_SIGNALED', { signalName: 'ciCallback' }],
        ['SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED', { signalName: 'done' }],
        ['WORKFLOW_EXECUTION_UPDATE_ACCEPTED', { protocolInstanceId: 'u1' }],
        ['WORKFLOW_EXECUTION_UPDATE_COMPLETED'],
      ),
    );
    assert.deepEqual(actions.byKind, { workflowStarted: 1, signal: 2, update: 1 });
  });

  it('charges a child start twice to the parent and nothing to the child', () => {
    const parent = cloudActions(history(start(), ['CHILD_WORKFLOW_EXECUTION_STARTED', { initiatedEventId: '1' }]));
    const child = cloudActions(history(start({ parentWorkflowExecution: { workflowId: 'p', runId: 'r' } })));
    assert.deepEqual([parent.total, child.total], [3, 0]);
  });

  it('counts each run of a continue-as-new chain once, in its own history', () => {
    const first = cloudActions(
      history(start(), ['WORKFLOW_EXECUTION_CONTINUED_AS_NEW', { newExecutionRunId: 'next' }]),
    );
    const second = cloudActions(history(start({ continuedExecutionRunId: 'previous' })));
    assert.deepEqual([first.total, second.total], [1, 1]);
  });

  it('is part of historyCost', () => {
    const cost = historyCost(history(start(), taskCompleted(), localActivity(2), upsert('TemporalChangeVersion')));
    assert.equal(cost.cloudActions, 2);
    assert.deepEqual(cost.cloudActionsByKind, { workflowStarted: 1, localActivityTask: 1 });
  });
});
