import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { TemporalDevServer } from '../devstack/temporal-dev-server';
import { startTemporalDevServer } from '../devstack/temporal-dev-server';
import { findTemporalCli, TEMPORAL_CLI_INSTALL_HINT } from '../devstack/temporal-cli';
import { silentWav } from '../src/emulator';
import { bundleTranscriptionWorkflows } from '../src/worker-setup/transcription-worker';
import { transcribeMedia, transcriptionStatusQuery } from '../src/workflows';
import { assertHistoriesSafe } from './helpers/histories';
import type { TestStack } from './helpers/stack';
import { startStack, TEST_BUCKET } from './helpers/stack';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

/** Jobs in this queue wait in `Pause` until the test resumes it, so the wait lasts as long as the test needs. */
const PAUSED_QUEUE = `p${randomUUID().replace(/-/g, '')}`;

describe('transcribeMedia continues as new during a long wait', () => {
  let server: TemporalDevServer;
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  let bundle: { code: string };

  before(async () => {
    // A server that suggests continue-as-new after 40 events, so a few poll rounds reach the threshold.
    const cli = findTemporalCli();
    if (!cli) throw new Error(`This test starts its own dev server. ${TEMPORAL_CLI_INSTALL_HINT}`);
    await startTemporalForTests().then((t) => t.teardown()); // installs the quiet test runtime
    server = await startTemporalDevServer({
      executable: cli,
      dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 40 },
    });
    env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address });
    bundle = await bundleTranscriptionWorkflows();
    stack = await startStack(
      { env, teardown: () => env.teardown() },
      {
        workflowBundle: bundle,
        callbacks: false,
        emulator: {
          timings: { queuedMs: 0, runningMs: 200 },
          queues: [{ queueId: PAUSED_QUEUE }],
          faults: { pausedQueues: [PAUSED_QUEUE] },
        },
      },
    );
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
    await server?.stop();
  });

  it('keeps its job, counters and deadline across runs and still submits once', async () => {
    const key = `audio/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(1));
    const handle = await stack.client.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId: `can-${randomUUID()}`,
      args: [
        {
          media: { object: key },
          recognition: { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } },
          queueId: PAUSED_QUEUE,
          polling: { firstDelay: '100ms', multiplier: 1, maxInterval: '100ms', jitter: 0 },
        },
      ],
    });
    await waitFor(
      'a continue-as-new',
      async () => ((await handle.describe()).runId !== handle.firstExecutionRunId ? true : undefined),
      60_000,
    );
    // The run that continued as new did not fail: its status says it was still waiting.
    const firstRun = stack.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    const firstStatus = await firstRun.query(transcriptionStatusQuery);
    assert.equal(firstStatus.phase, 'waiting');
    stack.emulator.setFaults({ pausedQueues: [] });
    const result = await handle.result();
    assert.equal(result.completedBy, 'poll');
    const status = await handle.query(transcriptionStatusQuery);
    assert.ok(status.polls > firstStatus.polls, `polls carried over (${firstStatus.polls} then ${status.polls})`);
    assert.equal(status.jobId, result.jobId, 'the continued run shows its job');
    assert.equal(status.jobState, 'Success');
    assert.equal(stack.emulator.counters().jobsByInputObject[`${TEST_BUCKET}/${key}`], 1);
    await assertHistoriesSafe(stack.client, [handle.workflowId], [stack.secrets.secretKey], bundle);
  });
});
