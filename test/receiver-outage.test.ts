import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { findFreePort } from '../src/devstack/free-port';
import { findTemporalCli } from '../src/devstack/temporal-cli';
import type { TemporalDevServer } from '../src/devstack/temporal-dev-server';
import { startTemporalDevServer } from '../src/devstack/temporal-dev-server';
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
import { collectCiCallbacks } from './fixtures/receiver-workflows';

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
      const receiver = await startReceiver({
        secrets: [TEST_SECRET],
        temporal: counting.factory,
        temporalTimeoutMs: 1_500,
        logger: captureLogger().logger,
      });
      try {
        const connection = await Connection.connect({ address: server.address });
        // No worker: Temporal accepts signals for a running workflow whether or not a worker polls its queue.
        const handle = await new Client({ connection }).workflow.start(collectCiCallbacks, {
          taskQueue: `nobody-${randomUUID()}`,
          workflowId: `outage-${randomUUID()}`,
          args: [3],
        });
        await connection.close();
        const url = callbackUrl(receiver.url, handle.workflowId);
        const callback = (jobId: string) => postCallback(url, xmlNotification([{ jobId, state: 'Success' }]));
        const health = async () => (await send(`${receiver.url}/healthz`, { method: 'GET' })).status;

        assert.equal((await callback('before')).status, 200);
        assert.equal(await health(), 200);

        await server.stop();
        server = undefined;
        const during = await callback('during');
        assert.equal(during.status, 503);
        assert.deepEqual(JSON.parse(during.body), { error: 'temporal_unavailable' });
        assert.equal(await health(), 503);

        server = await startTemporalDevServer(serverOptions);
        // A sender retries on 503; so does this loop, until Temporal is reachable again.
        await waitFor(async () => (await callback('after')).status === 200, 30_000, 'a callback to be accepted again');
        assert.equal(await health(), 200);

        const after = await Connection.connect({ address: server.address });
        try {
          const history = await new Client({ connection: after }).workflow.getHandle(handle.workflowId).fetchHistory();
          const signalled = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
          assert.ok(signalled.length >= 2, `history holds the signals sent before and after the outage`);
        } finally {
          await after.close();
        }
      } finally {
        await receiver.close();
        await server?.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
