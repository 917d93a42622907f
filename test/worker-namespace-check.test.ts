/**
 * A namespace without the `CiJobId`/`CiJobState` search attributes: the worker refuses to start (exit 2, no stack)
 * with the command that fixes it, instead of starting and letting every run hang after billing its job.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ConfigError, TencentCiAsrPlugin } from '../src';
import { findTemporalCli } from '../devstack/temporal-cli';
import { runChild } from './helpers/child';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

const WORKER_ENTRY = join(__dirname, '..', 'src', 'worker.ts');

describe('the worker checks its namespace at start', () => {
  let temporal: TemporalTestServer;
  const namespace = `bare-${randomUUID()}`;

  before(async () => {
    temporal = await startTemporalForTests();
    const cli = findTemporalCli();
    assert.ok(cli, 'the temporal CLI is installed');
    const created = await runChild(
      cli,
      ['operator', 'namespace', 'create', '--namespace', namespace, '--address', temporal.env.address],
      {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
      },
    );
    assert.equal(created.status, 0, created.output);
    const { workflowService } = temporal.env.connection;
    await waitFor('the new namespace', async () => {
      const described = await workflowService.describeNamespace({ namespace }).catch(() => undefined);
      return described ? true : undefined;
    });
  });
  after(async () => {
    await temporal?.teardown();
  });

  it('refuses with the names and the exact create command: exit 2, no stack trace', async () => {
    const { status, output } = await runChild(process.execPath, ['--import', 'tsx', WORKER_ENTRY], {
      PATH: process.env.PATH ?? '',
      TEMPORAL_ADDRESS: temporal.env.address,
      TEMPORAL_NAMESPACE: namespace,
      TENCENT_SECRET_ID: 'AKIDexample',
      TENCENT_SECRET_KEY: 'example-secret-key',
      CI_BUCKET: 'media-1250000000',
      CI_REGION: 'ap-guangzhou',
      CI_ENDPOINT: 'http://127.0.0.1:9',
      LOG_LEVEL: 'WARN',
    });
    assert.equal(status, 2, output);
    assert.match(output, /missing search attributes CiJobId \(Keyword\), CiJobState \(Keyword\)/);
    assert.ok(
      output.includes(
        `temporal operator search-attribute create --namespace ${namespace} --name CiJobId --name CiJobState --type Keyword`,
      ),
      output,
    );
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  });

  it('Worker.create with the plugin rejects with a ConfigError before any worker polls', async () => {
    const connection = await NativeConnection.connect({ address: temporal.env.address });
    try {
      const unused = () => Promise.reject(new Error('not used'));
      const ci = { submit: unused, get: unused, list: unused, cancel: unused };
      const objects = { put: unused, get: unused, list: unused };
      const deps = { ciFor: () => ci, objects, defaults: { bucket: 'media-1250000000', region: 'ap-guangzhou' } };
      const err = await Worker.create({
        connection,
        namespace,
        taskQueue: `ns-check-${randomUUID()}`,
        workflowBundle: { code: '' },
        plugins: [new TencentCiAsrPlugin({ deps })],
      }).then(
        () => assert.fail('expected a refusal'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof ConfigError, String(err));
      assert.match(err.message, /Temporal namespace "bare-/);
    } finally {
      await connection.close();
    }
  });
});
