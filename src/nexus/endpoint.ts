import type { NativeConnection } from '@temporalio/worker';

/** What the endpoint helpers need of a connection: a client's `Connection` or a worker's `NativeConnection`. */
export type EndpointConnection = Pick<NativeConnection, 'operatorService'>;

/** A Nexus endpoint that routes to a worker's namespace and task queue. */
export interface NexusEndpointTarget {
  /** Endpoint name, unique in the cluster (callers address it by this name). */
  name: string;
  /** Namespace of the handling worker (this package's). */
  namespace: string;
  /** Task queue of the handling worker (this package's). */
  taskQueue: string;
}

/** An endpoint as the server has it; `namespace`/`taskQueue` are absent when it targets an external URL. */
export interface NexusEndpointInfo {
  id: string;
  name: string;
  namespace?: string;
  taskQueue?: string;
}

/** gRPC ALREADY_EXISTS: another process created the endpoint first. */
const GRPC_ALREADY_EXISTS = 6;

async function listByName(connection: EndpointConnection, name: string) {
  const { endpoints } = await connection.operatorService.listNexusEndpoints({ name, pageSize: 1 });
  return endpoints?.find((e) => e.spec?.name === name && e.id);
}

/** The endpoint named `name`, or `undefined` when the cluster has none by that name. */
export async function findNexusEndpoint(
  connection: EndpointConnection,
  name: string,
): Promise<NexusEndpointInfo | undefined> {
  const found = await listByName(connection, name);
  if (!found?.id) return undefined;
  const worker = found.spec?.target?.worker;
  return {
    id: found.id,
    name,
    ...(worker?.namespace ? { namespace: worker.namespace } : {}),
    ...(worker?.taskQueue ? { taskQueue: worker.taskQueue } : {}),
  };
}

/** The `temporal` command that creates `target` on a self-hosted server or the dev server. */
export function endpointCreateCommand(target: NexusEndpointTarget): string {
  return (
    `temporal operator nexus endpoint create --name ${target.name} ` +
    `--target-namespace ${target.namespace} --target-task-queue ${target.taskQueue}`
  );
}

/** Whether `endpoint` routes to `target`'s namespace and task queue. */
export function routesTo(endpoint: NexusEndpointInfo, target: NexusEndpointTarget): boolean {
  return endpoint.namespace === target.namespace && endpoint.taskQueue === target.taskQueue;
}

/**
 * Creates the endpoint, or points an existing one of that name at `target` (a dev server's database outlives a
 * change of task queue). Idempotent: a second call changes nothing.
 */
export async function ensureNexusEndpoint(
  connection: EndpointConnection,
  target: NexusEndpointTarget,
): Promise<NexusEndpointInfo> {
  const spec = { name: target.name, target: { worker: { namespace: target.namespace, taskQueue: target.taskQueue } } };
  const existing = await findNexusEndpoint(connection, target.name);
  if (existing && routesTo(existing, target)) return existing;
  const raw = existing && (await listByName(connection, target.name));
  try {
    if (raw) {
      await connection.operatorService.updateNexusEndpoint({ id: raw.id, version: raw.version, spec });
    } else {
      await connection.operatorService.createNexusEndpoint({ spec });
    }
  } catch (err) {
    if ((err as { code?: unknown }).code !== GRPC_ALREADY_EXISTS) throw err;
  }
  const now = await findNexusEndpoint(connection, target.name);
  if (!now) throw new Error(`Nexus endpoint ${target.name} was created but cannot be found`);
  return now;
}
