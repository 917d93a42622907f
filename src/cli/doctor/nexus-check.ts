/** Doctor's check of the Nexus endpoint that offers the `transcription` service to other namespaces. */
import type { Client } from '@temporalio/client';
import { endpointCreateCommand, findNexusEndpoint, routesTo } from '../../nexus/endpoint';
import { withDeadline } from '../deadline';
import { formatOneLine } from '../errors';
import type { CheckOutcome } from './report';

/**
 * The endpoint named `name` exists and routes to this namespace and task queue, where a worker with
 * `TencentCiAsrPlugin({ nexus: true })` (`TENCENT_CI_ASR_NEXUS=1`) serves the service.
 */
export async function checkNexusEndpoint(client: Client, name: string, taskQueue: string): Promise<CheckOutcome> {
  const target = { name, namespace: client.options.namespace, taskQueue };
  const wanted = `${target.namespace}/${taskQueue}`;
  let found: Awaited<ReturnType<typeof findNexusEndpoint>>;
  try {
    found = await withDeadline(client, 'listNexusEndpoints', () => findNexusEndpoint(client.connection, name));
  } catch (err) {
    return {
      status: 'warn',
      detail: `could not list the Nexus endpoints (${formatOneLine(err).replace(/^error: /, '')})`,
      fix: `Check that endpoint ${name} targets ${wanted}, e.g. in the Temporal UI (Nexus) or Temporal Cloud.`,
    };
  }
  const data = { endpoint: name, target: wanted };
  if (!found) {
    return {
      status: 'fail',
      detail: `no Nexus endpoint named ${name}: callers in other namespaces cannot reach the service`,
      fix: `${endpointCreateCommand(target)}\n(on Temporal Cloud: tcld nexus endpoint create; docs/nexus.md)`,
      data,
    };
  }
  if (!routesTo(found, target)) {
    const routes = found.namespace ? `${found.namespace}/${found.taskQueue ?? '?'}` : 'an external URL';
    return {
      status: 'fail',
      detail: `Nexus endpoint ${name} routes to ${routes}, not to ${wanted}`,
      fix: `temporal operator nexus endpoint update --name ${name} --target-namespace ${target.namespace} --target-task-queue ${taskQueue}`,
      data,
    };
  }
  return { status: 'pass', detail: `Nexus endpoint ${name} routes to ${wanted}`, data };
}
