import type { Client } from '@temporalio/client';
import { transcribeMedia } from '../../src/workflows';
import type { TranscribeMediaInput } from '../../src';
import { progress } from '../lib/runtime';

/** How one chaos workflow ended, as Temporal reports it once it closed. */
export interface ClosedRun {
  workflowId: string;
  status: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Retries `work` on any error (the server may be restarting) until it succeeds or `deadline` passes. */
export async function persist<T>(what: string, deadline: number, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await work();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what} kept failing until the deadline`, { cause: err });
      await sleep(500);
    }
  }
}

/** Starts one workflow per input, `spacingMs` apart, retrying starts through outages; returns the workflow ids. */
export async function startRuns(
  client: Client,
  taskQueue: string,
  runs: readonly { workflowId: string; input: TranscribeMediaInput }[],
  spacingMs: number,
  deadline: number,
): Promise<string[]> {
  const starts = runs.map(async ({ workflowId, input }, i) => {
    await sleep(i * spacingMs);
    // A start that timed out may still have happened: "already started" then means it did.
    await persist(`starting ${workflowId}`, deadline, async () => {
      try {
        await client.workflow.start(transcribeMedia, { taskQueue, workflowId, args: [input] });
      } catch (err) {
        if ((err as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw err;
      }
    });
    return workflowId;
  });
  return await Promise.all(starts);
}

/** Waits until every workflow is closed (describe, tolerant of outages) or `deadline` passes; returns the statuses. */
export async function awaitClosed(client: Client, workflowIds: readonly string[], deadline: number) {
  const open = new Set(workflowIds);
  const closed = new Map<string, string>();
  while (open.size > 0 && Date.now() < deadline) {
    for (const workflowId of [...open]) {
      try {
        const status = (await client.workflow.getHandle(workflowId).describe()).status.name;
        if (status === 'RUNNING') continue;
        closed.set(workflowId, status);
        open.delete(workflowId);
      } catch {
        break; // server unavailable: try again on the next sweep
      }
    }
    if (open.size > 0) {
      progress(`chaos: ${closed.size}/${workflowIds.length} closed`);
      await sleep(2_000);
    }
  }
  return workflowIds.map((workflowId): ClosedRun => ({ workflowId, status: closed.get(workflowId) ?? 'STILL_OPEN' }));
}
