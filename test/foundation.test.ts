import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import * as activities from './fixtures/hello-activities';
import { helloWorkflow } from './fixtures/hello-workflows';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';

describe('foundation: a real Temporal server', () => {
  let temporal: TemporalTestServer;
  before(async () => {
    temporal = await startTemporalForTests();
  });
  after(async () => {
    await temporal?.teardown();
  });

  it('runs a workflow that calls an activity to completion', async () => {
    const taskQueue = `hello-${randomUUID()}`;
    const worker = await Worker.create({
      connection: temporal.env.nativeConnection,
      namespace: temporal.env.namespace,
      taskQueue,
      workflowsPath: require.resolve('./fixtures/hello-workflows'),
      activities,
    });
    const result = await worker.runUntil(
      temporal.env.client.workflow.execute(helloWorkflow, { taskQueue, workflowId: randomUUID(), args: ['Temporal'] }),
    );
    assert.equal(result, 'Hello, Temporal!');
  });

  it('bundles the package workflows without sandbox violations', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve('../src/workflows'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    assert.ok(code.length > 1000);
  });
});
