/**
 * deploy/worker-healthcheck.mjs, the worker container's healthcheck, against a real worker on the dev server:
 * healthy while this host's worker polls its task queue, unhealthy when no worker of this host polls it or its last
 * poll is too old. The script runs as a child process, as Docker runs it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ChildResult } from './helpers/child';
import { runChild } from './helpers/child';
import { useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';

const SCRIPT = join(__dirname, '..', 'deploy', 'worker-healthcheck.mjs');

async function healthcheck(
  taskQueue: string,
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<ChildResult> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TEMPORAL_CONFIG_FILE: join(__dirname, 'no-temporal.toml'),
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233',
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    ...extraEnv,
  };
  // The worker under test runs in this process and keeps polling meanwhile.
  return await runChild(process.execPath, [SCRIPT, ...args], env, 30_000);
}

describe('worker healthcheck', () => {
  const suite = useTestStack({ callbacks: false });

  it('is healthy while the worker of this host polls its task queue', async () => {
    const result = await waitFor('a healthy check', async () => {
      const r = await healthcheck(suite.stack.taskQueue);
      return r.status === 0 ? r : undefined;
    });
    assert.match(result.output, new RegExp(`^healthy: polling ${suite.stack.taskQueue}`, 'm'));
  });

  it('is unhealthy when only another host polls the queue, or nobody does', async () => {
    const otherHost = await healthcheck(suite.stack.taskQueue, ['--host', 'another-container']);
    assert.equal(otherHost.status, 1, otherHost.output);
    assert.match(otherHost.output, /unhealthy: no workflow poller from another-container .*no activity poller/);
    const empty = await healthcheck(`nobody-polls-${randomUUID()}`);
    assert.equal(empty.status, 1, empty.output);
    assert.match(empty.output, /unhealthy: no workflow poller/);
  });

  it('is unhealthy once the stopped worker has not polled for longer than --max-poll-age', async () => {
    await suite.stack.worker.stop();
    const result = await waitFor('a stale-poll verdict', async () => {
      const r = await healthcheck(suite.stack.taskQueue, ['--max-poll-age', '1']);
      return r.status === 1 ? r : undefined;
    });
    assert.match(result.output, /unhealthy: last workflow poll from \S+ \d+ s ago/);
  });

  it('reports a bad argument or an unreachable server as unhealthy, without a stack trace', async () => {
    const bad = await healthcheck(suite.stack.taskQueue, ['--max-poll-age', 'soon']);
    assert.equal(bad.status, 1);
    assert.equal(bad.output, 'unhealthy: --max-poll-age must be a positive number of seconds\n');
    // Port 1 on loopback: nothing listens there.
    const down = await healthcheck(suite.stack.taskQueue, [], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
    assert.equal(down.status, 1);
    assert.match(down.output, /^unhealthy: .+\n$/);
    assert.doesNotMatch(down.output, /\n\s+at /, 'no stack trace');
  });
});
