import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

type History = temporal.api.history.v1.IHistory;

/** What a scan of histories found: which workflows hold which secrets, and which histories fail to replay. */
export interface HistoryScan {
  scanned: number;
  /** `workflowId: secret name` for every secret found (in any payload or field, as raw bytes). */
  leaks: string[];
  /** `workflowId: error` for every history the current workflow code cannot replay. */
  replayFailures: string[];
}

/**
 * Fetches every workflow's history, looks for each named secret in its encoded bytes, and replays all of them
 * against `workflowBundle` (a determinism check). Same method as the tests' `assertHistoriesSafe`.
 */
export async function scanHistories(
  client: Client,
  workflowIds: readonly string[],
  secrets: Record<string, string>,
  workflowBundle: { code: string },
): Promise<HistoryScan> {
  const leaks: string[] = [];
  const histories: { workflowId: string; history: History }[] = [];
  for (const workflowId of workflowIds) {
    const history = await client.workflow.getHandle(workflowId).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    for (const [name, secret] of Object.entries(secrets)) {
      if (bytes.includes(Buffer.from(secret))) leaks.push(`${workflowId}: ${name}`);
    }
    histories.push({ workflowId, history });
  }
  const replayFailures: string[] = [];
  for await (const result of Worker.runReplayHistories({ workflowBundle, replayName: 'chaos-replay' }, histories)) {
    if (result.error) replayFailures.push(`${result.workflowId}: ${String(result.error)}`);
  }
  return { scanned: workflowIds.length, leaks, replayFailures };
}
