import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

/** Where chaos keeps what failed runs left (gitignored); `CHAOS_FAILURES_DIR` overrides it. */
export const CHAOS_FAILURES_DIR = process.env.CHAOS_FAILURES_DIR ?? join('bench', 'out', 'chaos-failures');

/**
 * Writes one JSON file per failed run, `<workflowId>.json`, holding its verdict, its final status and the history of
 * every run of its chain (continue-as-new included), so the cause can be read after chaos deleted its database.
 * Returns the folder, or undefined when no run failed. Best-effort per file: a history that cannot be fetched is
 * recorded as the error that stopped it.
 */
export async function keepFailedRuns(
  client: Client,
  verdicts: readonly { workflowId: string; problems: readonly string[] }[],
  dir = CHAOS_FAILURES_DIR,
): Promise<string | undefined> {
  const failed = verdicts.filter((verdict) => verdict.problems.length > 0);
  if (failed.length === 0) return undefined;
  const folder = join(dir, new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(folder, { recursive: true });
  for (const verdict of failed) {
    const file = join(folder, `${verdict.workflowId}.json`);
    try {
      writeFileSync(file, JSON.stringify({ verdict, runs: await chainOf(client, verdict.workflowId) }, null, 2));
    } catch (err) {
      writeFileSync(file, JSON.stringify({ verdict, error: (err as Error).message }, null, 2));
    }
  }
  return folder;
}

/** Every run of `workflowId`'s chain, first to last, as `{ runId, history }` (history in Temporal's JSON form). */
async function chainOf(client: Client, workflowId: string): Promise<{ runId: string; history: unknown }[]> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  const runs: { runId: string; history: unknown }[] = [];
  let runId: string | undefined = latest.raw.workflowExecutionInfo?.firstRunId || latest.runId;
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.push({ runId, history: JSON.parse(historyToJSON(history)) as unknown });
    const last = history.events?.at(-1);
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}
