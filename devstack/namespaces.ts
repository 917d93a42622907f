import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';

/** gRPC ALREADY_EXISTS: the namespace is there already (a dev server keeps it in its database). */
const GRPC_ALREADY_EXISTS = 6;

/**
 * Creates `namespace` on a dev or self-hosted server unless it exists, then waits until the server answers for it
 * (a new namespace reaches every service's cache a moment after it is registered).
 */
export async function ensureNamespace(connection: Connection, namespace: string, timeoutMs = 60_000): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      // A day, like the dev server's own `default`.
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
  } catch (err) {
    if ((err as { code?: unknown }).code !== GRPC_ALREADY_EXISTS) throw err;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      // Visibility answers only once the namespace is in the frontend's cache: what a worker or client needs.
      await connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`namespace ${namespace} is not ready`, { cause: err });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
