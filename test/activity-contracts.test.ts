/**
 * Activity contracts survive an upgrade: every activity input the baseline histories recorded (what the previous
 * release's workflows send, test/fixtures/histories/<version>/) is given to the current activity, which must run with
 * it. An answer about the world (CI or COS says "not found", a job already ended) is fine; a shape error (a
 * `TypeError` from a field that is no longer there, a validation refusal of an old input) is not. The rule the
 * activities follow is in `src/contract/activities.ts`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { quotaActivities } from '../src/activities/batch-activities';
import { createActivities } from '../src/activities/create-activities';
import type { LocalServices } from '../devstack/local-services';
import { startLocalServices } from '../devstack/local-services';
import { FailureType } from '../src/shared/failure-types';
import { loadHistoryFixtures } from './helpers/history-fixtures';

/** One activity call a recorded workflow made. */
interface RecordedCall {
  fixture: string;
  activityType: string;
  args: unknown[];
  workflowId: string;
}

function recordedCalls(): RecordedCall[] {
  return loadHistoryFixtures().flatMap((fixture) =>
    (fixture.history.events ?? []).flatMap((event) => {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (!scheduled) return [];
      const payloads = scheduled.input?.payloads ?? [];
      return [
        {
          fixture: fixture.name,
          activityType: scheduled.activityType?.name ?? '',
          args: payloads.map((payload) => defaultPayloadConverter.fromPayload(payload)),
          workflowId: fixture.workflowId,
        },
      ];
    }),
  );
}

const quiet = new DefaultLogger('ERROR');

/** Runs `activity` as one attempt of `workflowId`'s activity `activityType`; rejects with what it threw. */
function runAsRecorded(
  activityType: string,
  workflowId: string,
  activity: (...a: unknown[]) => Promise<unknown>,
  args: unknown[],
) {
  const env = new MockActivityEnvironment(
    {
      activityType,
      namespace: 'default',
      startToCloseTimeoutMs: 60_000,
      // The mock's default (1 s from epoch ms 1) would end every attempt at once; 0 is none.
      scheduleToCloseTimeoutMs: 0,
      workflowExecution: { workflowId, runId: randomUUID() },
    },
    { logger: quiet },
  );
  return env.run(activity, ...args);
}

/** Errors that say the input's shape no longer fits the activity (a programming error, not CI's answer). */
function isShapeError(err: unknown): boolean {
  if (err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError) return true;
  const type = (err as { type?: unknown }).type;
  return type === FailureType.InvalidTranscriptionInput;
}

describe('activities accept what the baseline histories sent them', () => {
  let services: LocalServices;
  let activities: Record<string, (...args: unknown[]) => Promise<unknown>>;
  const calls = recordedCalls();

  before(async () => {
    services = await startLocalServices({
      temporal: { address: '127.0.0.1:1', namespace: 'default' },
      callbacks: false,
      emulator: { timings: { queuedMs: 0, runningMs: 100 } },
    });
    const built = createActivities(services.deps);
    const bound = Object.fromEntries(
      Object.entries(built as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>).map(([name, fn]) => [
        name,
        fn.bind(built),
      ]),
    );
    activities = { ...bound, ...quotaActivities };
  });
  after(async () => {
    await services?.stop();
  });

  it('covers every activity the workflows schedule, from the submit to the batch manifest', () => {
    const types = new Set(calls.map((call) => call.activityType));
    for (const wanted of [
      'submitTranscriptionJob',
      'checkTranscriptionJob',
      'cancelTranscriptionJob',
      'cleanUpStepJobs',
      'readQueueConcurrency',
      'admitCiSubmit',
      'writeBatchManifestPart',
      'finalizeBatchManifest',
    ]) {
      assert.ok(types.has(wanted), `a recorded ${wanted} input (have ${[...types].join(', ')})`);
    }
  });

  it('runs each recorded input through the current activity without a shape error', async () => {
    for (const call of calls) {
      const activity = activities[call.activityType];
      assert.ok(activity, `${call.fixture}: ${call.activityType} is still an activity of this package`);
      try {
        await runAsRecorded(call.activityType, call.workflowId, activity, call.args);
      } catch (err) {
        assert.ok(
          !isShapeError(err),
          `${call.fixture}: ${call.activityType} refused its recorded input: ${String(err)}`,
        );
      }
    }
  });

  it('would catch an input the activity no longer understands (a field renamed away)', async () => {
    const submit = calls.find((call) => call.activityType === 'submitTranscriptionJob')!;
    const [input] = submit.args as [{ request: Record<string, unknown> }];
    const { request, ...rest } = input;
    const renamed = { ...rest, job: request };
    const err = await runAsRecorded('submitTranscriptionJob', submit.workflowId, activities.submitTranscriptionJob!, [
      renamed,
    ]).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isShapeError(err), `a renamed field is a shape error: ${String(err)}`);
  });
});
