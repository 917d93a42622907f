/** Doctor's checks of the Temporal side: the server answers, the namespace has the search attributes, a worker polls. */
import type { Client } from '@temporalio/client';
import { ConfigError } from '../../config/reader';
import { cliType, missingProjectSearchAttributes, searchAttributeCommands } from '../../plugin/namespace-check';
import { withDeadline } from '../deadline';
import { errorChain, formatOneLine, TemporalUnreachableError } from '../errors';
import { ciQuotaTaskQueue } from '../../shared/constants';
import { WORKER_COMMAND } from '../cli-name';
import { countPollers, countWorkflowPollers } from '../pollers';
import { configOutcome } from './explain';
import type { CheckOutcome } from './report';

/** gRPC NOT_FOUND: the namespace does not exist. */
const GRPC_NOT_FOUND = 5;

/** The first line of an error without the CLI's `error: ` prefix. */
function reason(err: unknown): string {
  return formatOneLine(err).replace(/^error: /, '');
}

/** The address the client's connection was opened to, when it is a real `Connection`. */
function addressOf(client: Client): string | undefined {
  const options = (client.connection as { options?: { address?: unknown } }).options;
  return typeof options?.address === 'string' ? options.address : undefined;
}

/** The outcome of a Temporal check whose client could not be had: bad settings (exit 2) or no server. */
export function temporalUnavailable(err: unknown): CheckOutcome {
  if (err instanceof ConfigError) return configOutcome(err);
  const innermost = errorChain(err).at(-1)?.message.split('\n')[0];
  return {
    status: 'fail',
    detail:
      err instanceof TemporalUnreachableError ? `cannot reach Temporal at ${err.address} (${innermost})` : reason(err),
    fix: 'Start Temporal (`npm run dev` locally) or set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY or TEMPORAL_TLS_*).',
  };
}

/** The server answers `DescribeNamespace` for the configured namespace. */
export async function checkTemporal(client: Client): Promise<CheckOutcome> {
  const namespace = client.options.namespace;
  const at = addressOf(client);
  try {
    await withDeadline(client, 'describeNamespace', () => client.workflowService.describeNamespace({ namespace }));
  } catch (err) {
    if ((err as { code?: unknown }).code === GRPC_NOT_FOUND) {
      return {
        status: 'fail',
        detail: `namespace ${namespace} does not exist${at ? ` on ${at}` : ''}`,
        fix: `temporal operator namespace create --namespace ${namespace}   (or set TEMPORAL_NAMESPACE)`,
      };
    }
    return temporalUnavailable(err);
  }
  return {
    status: 'pass',
    detail: `reached ${at ?? 'the server'}, namespace ${namespace}`,
    data: { namespace, ...(at ? { address: at } : {}) },
  };
}

/** The namespace has `CiJobId`/`CiJobState` (Keyword): the check the worker runs at start. */
export async function checkSearchAttributes(client: Client): Promise<CheckOutcome> {
  const namespace = client.options.namespace;
  let missing: Awaited<ReturnType<typeof missingProjectSearchAttributes>>;
  try {
    missing = await withDeadline(client, 'listSearchAttributes', () =>
      missingProjectSearchAttributes(client.connection, namespace),
    );
  } catch (err) {
    return {
      status: 'warn',
      detail: `could not list the namespace's search attributes (${reason(err)})`,
      fix: 'Check that CiJobId and CiJobState (Keyword) exist, e.g. in the Temporal UI or Temporal Cloud namespace settings.',
    };
  }
  if (missing.length === 0) return { status: 'pass', detail: `${namespace} has CiJobId and CiJobState (Keyword)` };
  const names = missing.map((key) => `${key.name} (${cliType(key.type)})`).join(', ');
  return {
    status: 'fail',
    detail: `${namespace} lacks ${names}: the worker refuses to start, and runs could not record their job`,
    fix: `${searchAttributeCommands(namespace, missing).join('\n')}\n(add --address/--tls options as for your server)`,
    data: { missing: missing.map((key) => key.name).join(',') },
  };
}

/** At least one worker polled the task queue for workflow tasks recently. */
export async function checkWorker(client: Client, taskQueue: string): Promise<CheckOutcome> {
  let pollers: number;
  try {
    pollers = await countWorkflowPollers(client, taskQueue);
  } catch (err) {
    return temporalUnavailable(err);
  }
  if (pollers > 0) {
    return {
      status: 'pass',
      detail: `${pollers} worker(s) polling task queue ${taskQueue}`,
      data: { pollers, taskQueue },
    };
  }
  return {
    status: 'fail',
    detail: `no worker is polling task queue ${taskQueue}: started workflows would wait`,
    fix:
      `Start one: \`npm run dev\` locally, or \`${WORKER_COMMAND}\` with TEMPORAL_TASK_QUEUE=${taskQueue};\n` +
      "or point the CLI at the worker's queue with TEMPORAL_TASK_QUEUE.",
    data: { pollers, taskQueue },
  };
}

/**
 * A worker polls the CI quota queue (`<taskQueue>-ci-quota`), which runs every batch item's CI submit: without one a
 * batch stays at 0/n with no word, while single transcriptions still run.
 */
export async function checkQuotaWorker(client: Client, taskQueue: string): Promise<CheckOutcome> {
  const quotaQueue = ciQuotaTaskQueue(taskQueue);
  let pollers: number;
  try {
    pollers = await countPollers(client, quotaQueue, 'activity');
  } catch (err) {
    return temporalUnavailable(err);
  }
  const data = { pollers, taskQueue: quotaQueue };
  if (pollers > 0) return { status: 'pass', detail: `${pollers} worker(s) polling ${quotaQueue}`, data };
  return {
    status: 'fail',
    detail: `no worker is polling the CI quota queue ${quotaQueue}: batches would stay at 0 done`,
    fix:
      'Run the worker with TencentCiAsrPlugin, which runs the quota worker (unless quotaWorker: false), or run\n' +
      `\`${WORKER_COMMAND}\` (\`npm run dev\` locally) with TEMPORAL_TASK_QUEUE=${taskQueue}.`,
    data,
  };
}
