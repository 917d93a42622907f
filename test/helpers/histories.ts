import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { withObservability } from '../../src/observability/worker-options';

type History = temporal.api.history.v1.IHistory;

/** Fetches the full history of a workflow's latest run. */
export async function fetchHistory(client: Client, workflowId: string): Promise<History> {
  return await client.workflow.getHandle(workflowId).fetchHistory();
}

/** Number of events in a workflow's history. */
export async function historyLength(client: Client, workflowId: string): Promise<number> {
  return (await fetchHistory(client, workflowId)).events?.length ?? 0;
}

/**
 * Asserts that none of `secrets` appears anywhere in the histories (payloads included, as raw bytes), and that
 * every history replays against the current workflow code without a determinism error.
 */
export async function assertHistoriesSafe(
  client: Client,
  workflowIds: readonly string[],
  secrets: readonly string[],
  workflowBundle: { code: string },
): Promise<void> {
  const histories: { workflowId: string; history: History }[] = [];
  for (const workflowId of workflowIds) {
    const history = await fetchHistory(client, workflowId);
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const secret of secrets) {
      assert.equal(bytes.includes(Buffer.from(secret)), false, `history of ${workflowId} contains a secret`);
    }
    histories.push({ workflowId, history });
  }
  // The bundle's tracing interceptors report spans to a sink; replay needs it registered like a worker does.
  const { sinks } = withObservability({});
  const results = Worker.runReplayHistories({ workflowBundle, sinks, replayName: 'test-replay' }, histories);
  let replayed = 0;
  for await (const result of results) {
    assert.equal(result.error, undefined, `replay of ${result.workflowId} failed: ${String(result.error)}`);
    replayed += 1;
  }
  assert.equal(replayed, workflowIds.length);
}
