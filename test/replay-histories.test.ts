/**
 * Upgrade safety: every history recorded by a release (test/fixtures/histories/<version>/, written by
 * scripts/record-histories.ts) replays against the current workflow bundle. A workflow change that would break runs
 * in flight when a new worker takes them over (a new, removed or reordered command without `patched()`) fails here.
 * No server is involved: replay runs the bundle against the recorded events only.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import { bundleTranscriptionWorkflows } from '../src/worker-setup/transcription-worker';
import { findForbidden, loadHistoryFixtures } from './helpers/history-fixtures';
import type { HistoryFixture } from './helpers/history-fixtures';
import { withObservability } from '../src/observability/worker-options';
import { installQuietRuntime } from './helpers/temporal';

type History = temporal.api.history.v1.IHistory;

async function replay(
  bundle: { code: string },
  histories: { workflowId: string; history: History }[],
): Promise<Map<string, unknown>> {
  const errors = new Map<string, unknown>();
  const results = Worker.runReplayHistories(
    { workflowBundle: bundle, sinks: withObservability({}).sinks, replayName: 'fixtures' },
    histories,
  );
  for await (const result of results) errors.set(result.workflowId, result.error);
  return errors;
}

describe('recorded histories of earlier releases', () => {
  let bundle: { code: string };
  let fixtures: HistoryFixture[];

  before(async () => {
    installQuietRuntime();
    bundle = await bundleTranscriptionWorkflows();
    fixtures = loadHistoryFixtures();
  });

  it('cover the callback path, the poll path, the deadline, a cancel, continue-as-new and a batch', () => {
    const scenarios = new Set(fixtures.map((f) => f.name.split('/')[1]!.replace(/-run\d+$/, '')));
    const wantedScenarios = ['callback-path', 'poll-path', 'deadline-keep', 'cancel', 'continue-as-new', 'batch'];
    for (const wanted of [...wantedScenarios, 'batch-item']) {
      assert.ok(scenarios.has(wanted), `a ${wanted} fixture exists (have ${[...scenarios].join(', ')})`);
    }
    const endings = fixtures.map((f) => Object.keys(f.history.events!.at(-1)!).find((k) => k.endsWith('Attributes')));
    assert.ok(endings.includes('workflowExecutionContinuedAsNewEventAttributes'), 'a run that continued as new');
    assert.ok(endings.includes('workflowExecutionCompletedEventAttributes'), 'a run that completed');
  });

  it('hold no secret, signature or signed callback URL', () => {
    for (const fixture of fixtures) {
      assert.equal(findForbidden(fixture.text, fixture.bytes), undefined, `${fixture.name} leaks a secret`);
    }
  });

  it('replay against the current workflow code without a determinism error', async () => {
    // The recorded workflow id matters (a batch derives its children's ids from it), and the runs of one workflow
    // share it while replay results are keyed by it: each run replays in its own call.
    for (const fixture of fixtures) {
      const errors = await replay(bundle, [{ workflowId: fixture.workflowId, history: fixture.history }]);
      assert.deepEqual([...errors.keys()], [fixture.workflowId]);
      const error = errors.get(fixture.workflowId);
      assert.equal(error, undefined, `${fixture.name} no longer replays: ${String(error)}`);
    }
  });

  it('would catch a change of command: the same history with another activity scheduled fails to replay', async () => {
    const fixture = fixtures.find((f) => f.name.endsWith('/callback-path'))!;
    const altered = structuredClone(fixture.history);
    const scheduled = altered.events!.find((e) => e.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType = { name: 'anActivityTheCodeNeverSchedules' };
    const errors = await replay(bundle, [{ workflowId: fixture.workflowId, history: altered }]);
    const error = errors.get(fixture.workflowId);
    assert.ok(error instanceof DeterminismViolationError, String(error));
  });
});
