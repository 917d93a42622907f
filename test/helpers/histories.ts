import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { scanHistories } from '../../devstack/history-scan';

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
 * every history replays against the current workflow code without a determinism error (see `scanHistories`).
 */
export async function assertHistoriesSafe(
  client: Client,
  workflowIds: readonly string[],
  secrets: readonly string[],
  workflowBundle: { code: string },
): Promise<void> {
  // Secrets are named by position so a failure message never prints one.
  const named = Object.fromEntries(secrets.map((secret, i) => [`secret #${i + 1}`, secret]));
  const scan = await scanHistories(client, workflowIds, named, workflowBundle);
  assert.deepEqual(scan.leaks, [], 'no history contains a secret');
  assert.deepEqual(scan.replayFailures, [], 'every history replays');
  assert.equal(scan.replayed, workflowIds.length);
}
