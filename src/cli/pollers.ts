import type { Client } from '@temporalio/client';
import { WORKER_COMMAND } from './cli-name';
import type { CliStream } from './context';
import { withDeadline } from './deadline';

// Enum values of temporal.api.enums.v1 (the proto package is not a runtime dependency of the CLI).
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE = { workflow: 1, activity: 2 } as const;

/** Milliseconds between checks for a worker while none polls the task queue. */
export const POLLER_CHECK_MS = 5_000;

/**
 * Number of workers that polled `taskQueue` for workflow tasks recently (the server keeps pollers for a few minutes;
 * a stopped worker drops out after that). Throws like any Temporal call, within the CLI's deadline.
 */
export async function countWorkflowPollers(client: Client, taskQueue: string): Promise<number> {
  return await countPollers(client, taskQueue, 'workflow');
}

/**
 * Number of workers that polled `taskQueue` for tasks of `type` recently; the CI quota queue has activity pollers
 * only (its worker registers no workflows).
 */
export async function countPollers(
  client: Client,
  taskQueue: string,
  type: keyof typeof TASK_QUEUE_TYPE,
): Promise<number> {
  const response = await withDeadline(client, `describeTaskQueue(${taskQueue})`, () =>
    client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
      taskQueueType: TASK_QUEUE_TYPE[type],
    }),
  );
  return response.pollers?.length ?? 0;
}

/** The warning printed while no worker polls the task queue. */
export function noWorkerWarning(taskQueue: string): string {
  return (
    `warning: no worker is polling task queue '${taskQueue}'; the workflow waits until one does.\n` +
    `  Start one (\`npm run dev\` locally, or \`${WORKER_COMMAND}\` with TEMPORAL_TASK_QUEUE=${taskQueue}),\n` +
    `  or point the CLI at the right queue with TEMPORAL_TASK_QUEUE. Still checking every ${POLLER_CHECK_MS / 1000} s.\n`
  );
}

/**
 * Warns on `stderr` when no worker polls `taskQueue`, and keeps checking until one does (then says so once) or
 * `stop()` is called. Failed checks are skipped: the wait itself reports real failures.
 */
export function watchPollers(
  client: Client,
  taskQueue: string,
  stderr: CliStream,
  intervalMs = POLLER_CHECK_MS,
): { first: Promise<void>; stop(): void } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let warned = false;
  const check = async (): Promise<void> => {
    const pollers = await countWorkflowPollers(client, taskQueue).catch(() => undefined);
    if (stopped) return;
    if (pollers === 0 && !warned) {
      warned = true;
      stderr.write(noWorkerWarning(taskQueue));
    } else if (pollers !== undefined && pollers > 0 && warned) {
      stderr.write(`A worker is polling '${taskQueue}' now.\n`);
      return;
    } else if (pollers !== undefined && pollers > 0) return;
    timer = setTimeout(() => void check(), intervalMs);
    timer.unref();
  };
  const first = check();
  return {
    first,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
