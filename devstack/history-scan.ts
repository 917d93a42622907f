import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { withObservability } from '../src/observability/worker-options';

type History = temporal.api.history.v1.IHistory;

/** What a scan of histories found: which workflows hold which secrets, and which histories fail to replay. */
export interface HistoryScan {
  /** Histories fetched and searched. */
  scanned: number;
  /** Histories replayed against the workflow code (equals `scanned` unless the replay stopped early). */
  replayed: number;
  /** `workflowId: secret name` for every secret found (in any payload or field, as raw bytes). */
  leaks: string[];
  /** `workflowId: error` for every history the current workflow code cannot replay. */
  replayFailures: string[];
}

/**
 * Fetches every workflow's latest-run history, looks for each named secret in its encoded bytes (so a secret hidden
 * in any payload, memo, failure or header is found), and replays all of them against `workflowBundle` (a determinism
 * check). The tests' `assertHistoriesSafe` and the chaos suite both rely on it.
 */
export async function scanHistories(
  client: Client,
  workflowIds: readonly string[],
  secrets: Readonly<Record<string, string>>,
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
  let replayed = 0;
  for await (const result of Worker.runReplayHistories(
    // The bundle's tracing interceptors report spans to a sink; replay registers it as a worker does.
    { workflowBundle, sinks: withObservability({}).sinks, replayName: 'history-scan' },
    histories,
  )) {
    replayed += 1;
    if (result.error) replayFailures.push(`${result.workflowId}: ${String(result.error)}`);
  }
  return { scanned: workflowIds.length, replayed, leaks, replayFailures };
}
