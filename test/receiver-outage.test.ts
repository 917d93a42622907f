import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { findFreePort } from '../devstack/free-port';
import { findTemporalCli } from '../devstack/temporal-cli';
import type { TemporalDevServer } from '../devstack/temporal-dev-server';
import { startTemporalDevServer } from '../devstack/temporal-dev-server';
import { startReceiver } from '../src/receiver/server';
import {
  callbackUrl,
  captureLogger,
  countingTemporal,
  postCallback,
  send,
  TEST_SECRET,
  waitFor,
  xmlNotification,
} from './fixtures/receiver-helpers';
import { collectCiCallbacks, deliveredCallbacksQuery } from './fixtures/receiver-workflows';

const cli = findTemporalCli();

describe('callback receiver when Temporal goes away and comes back', () => {
  it(
    'answers 503 while Temporal is stopped and 200 again once it is back',
    { skip: !cli && 'no Temporal CLI' },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'receiver-outage-'));
      const port = await findFreePort();
      const serverOptions = { executable: cli!, port, dbFilename: join(dir, 'temporal.db') };
      let server: TemporalDevServer | undefined = await startTemporalDevServer(serverOptions);
      const counting = countingTemporal(server.address);
      const log = captureLogger();
      const receiver = await startReceiver({
        secrets: [TEST_SECRET],
        temporal: counting.factory,
        temporalTimeoutMs: 1_500,
        healthIntervalMs: 100,
        logger: log.logger,
      });
      // The receiver offers each entry as an update first, which a worker must validate; it keeps polling across
      // the outage (its connection reconnects like the receiver's).
      const taskQueue = `outage-${randomUUID()}`;
      const worker = await Worker.create({
        connection: await NativeConnection.connect({ address: server.address }),
        taskQueue,
        workflowBundle: await bundleWorkflowCode({
          workflowsPath: require.resolve('./fixtures/receiver-workflows'),
          logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
        }),
      });
      const workerDone = worker.run().catch(() => undefined);
      try {
        const connection = await Connection.connect({ address: server.address });
        const handle = await new Client({ connection }).workflow.start(collectCiCallbacks, {
          taskQueue,
          workflowId: `outage-${randomUUID()}`,
          args: [3],
        });
        await connection.close();
        const url = callbackUrl(receiver.url, handle.workflowId);
        const callback = (jobId: string) => postCallback(url, xmlNotification([{ jobId, state: 'Success' }]));
        const health = async () => (await send(`${receiver.adminUrl}/healthz`, { method: 'GET' })).status;
        const healthBecomes = (status: number) =>
          waitFor(async () => (await health()) === status, 10_000, `health ${status} from the background check`);

        assert.equal((await callback('before')).status, 200);
        await healthBecomes(200);

        await server.stop();
        server = undefined;
        const during = await callback('during');
        assert.equal(during.status, 503);
        assert.deepEqual(JSON.parse(during.body), { error: 'temporal_unavailable' });
        // The log says why: the gRPC code, Temporal's or gRPC's message and how long the call took.
        const failure = log.lines
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => line.message === 'callback delivery failed');
        assert.equal(failure?.workflowId, handle.workflowId, log.lines.join('\n'));
        assert.equal(failure?.outcome, 'temporal_unavailable');
        assert.ok([4, 14].includes(failure?.grpcCode as number), `gRPC code ${String(failure?.grpcCode)}`);
        assert.match(String(failure?.error), /\S/);
        assert.equal(typeof failure?.afterMs, 'number');
        await healthBecomes(503);

        server = await startTemporalDevServer(serverOptions);
        // A sender retries on 503; so does this loop, until Temporal is reachable again.
        await waitFor(async () => (await callback('after')).status === 200, 30_000, 'a callback to be accepted again');
        await healthBecomes(200);

        // The run received both. Read through the workflow, not the history: a signal that reaches a run whose
        // workflow task was in flight when the server stopped stays buffered (out of the history) until that task
        // times out and runs again.
        const after = await Connection.connect({ address: server.address });
        try {
          const run = new Client({ connection: after }).workflow.getHandle(handle.workflowId);
          await waitFor(
            async () => {
              const delivered = await run.query(deliveredCallbacksQuery).catch(() => []);
              return ['before', 'after'].every((id) => delivered.some((c) => c.jobId === id));
            },
            30_000,
            'the run to have the callbacks sent before and after the outage',
          );
        } finally {
          await after.close();
        }
      } finally {
        await receiver.close();
        worker.shutdown();
        await workerDone;
        await server?.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
