#!/usr/bin/env node
/**
 * Worker healthcheck (docker-compose.yml runs it inside the worker container): healthy only while a worker on THIS
 * host polls both the workflow and the activity task queue. A process that is up but stuck, disconnected from
 * Temporal or shut down stops polling and turns unhealthy; its metrics endpoint alone would still answer.
 *
 *   node deploy/worker-healthcheck.mjs [--max-poll-age <seconds>] [--host <hostname>]
 *
 * Reads the worker's own connection variables (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_*,
 * TEMPORAL_API_KEY, TEMPORAL_PROFILE through @temporalio/envconfig) and TEMPORAL_TASK_QUEUE. Asks the server with
 * DescribeTaskQueue, which lists the pollers seen in the last minutes with their identity (`<pid>@<hostname>`, the
 * SDK's default) and last poll time. An idle worker's long poll is renewed about every 60 s, so a last poll older
 * than --max-poll-age (default 120) means the worker has stopped polling. Exit 0 healthy, 1 not (with the reason).
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';

/** temporal.api.enums.v1 values (numbers, so that the script needs no more than the client package). */
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPES = { workflow: 1, activity: 2 };
const DEFAULT_TASK_QUEUE = 'tencent-ci-asr';

async function main() {
  const { values } = parseArgs({
    options: { 'max-poll-age': { type: 'string', default: '120' }, host: { type: 'string', default: hostname() } },
  });
  const maxAgeMs = Number(values['max-poll-age']) * 1000;
  if (!(maxAgeMs > 0)) throw new Error('--max-poll-age must be a positive number of seconds');
  const suffix = `@${values.host}`;
  const config = loadClientConnectConfig();
  const namespace = config.namespace ?? 'default';
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE || DEFAULT_TASK_QUEUE;
  const connection = await Connection.connect({
    ...config.connectionOptions,
    address: config.connectionOptions.address ?? 'localhost:7233',
    connectTimeout: '5s',
  });
  const problems = [];
  try {
    for (const [type, taskQueueType] of Object.entries(TASK_QUEUE_TYPES)) {
      const { pollers } = await connection.withDeadline(Date.now() + 5_000, () =>
        connection.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
          taskQueueType,
        }),
      );
      const mine = (pollers ?? []).filter((p) => p.identity?.endsWith(suffix));
      const last = Math.max(0, ...mine.map((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000));
      if (mine.length === 0) problems.push(`no ${type} poller from ${values.host} on ${taskQueue}`);
      else if (Date.now() - last > maxAgeMs) {
        problems.push(`last ${type} poll from ${values.host} ${Math.round((Date.now() - last) / 1000)} s ago`);
      }
    }
  } finally {
    await connection.close();
  }
  if (problems.length > 0) throw new Error(problems.join('; '));
  process.stdout.write(`healthy: polling ${taskQueue} in ${namespace}\n`);
}

main().catch((err) => {
  process.stdout.write(`unhealthy: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
