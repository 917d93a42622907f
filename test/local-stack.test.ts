import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { LocalStack } from '../devstack/local-stack';
import { startLocalStack } from '../devstack/local-stack';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { transcribeMedia } from '../src/workflows';

describe('startLocalStack', () => {
  let stack: LocalStack;

  before(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    // The test runner's shared server when there is one; otherwise the stack starts its own.
    stack = await startLocalStack({
      temporal: { address: process.env.TEMPORAL_ADDRESS, namespace: process.env.TEMPORAL_NAMESPACE },
      services: { emulator: { timings: { queuedMs: 0, runningMs: 100 } } },
    });
  });
  after(async () => {
    await stack?.stop();
  });

  it('runs transcribeMedia to completion through the callback path', async () => {
    const key = `audio/${randomUUID()}.wav`;
    const { emulator, bucket } = stack.services;
    emulator.putObject(bucket, key, silentWav(2));
    emulator.putObject(bucket, `${key}${TRANSCRIPT_SUFFIX}`, 'local stack');
    const result = await stack.client.workflow.execute(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId: `local-stack-${randomUUID()}`,
      args: [
        {
          media: { object: key },
          recognition: { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } },
          polling: { firstDelay: '1 hour' },
        },
      ],
    });
    assert.equal(result.completedBy, 'callback');
    assert.equal(result.segments, 1);
    assert.equal(emulator.counters().jobsByInputObject[`${bucket}/${key}`], 1);
  });

  it('describes how to run src/worker.ts against the stack', () => {
    const env = stack.workerEnv;
    assert.equal(env.TEMPORAL_TASK_QUEUE, stack.taskQueue);
    assert.equal(env.CI_ENDPOINT, stack.services.emulator.url);
    assert.equal(env.CALLBACK_PUBLIC_BASE_URL, stack.services.receiver?.url);
    assert.equal(env.TEMPORAL_ADDRESS, stack.temporal.address);
  });

  it('stops everything, and a second stop is harmless', async () => {
    await stack.stop();
    await stack.stop();
    assert.equal(stack.workers[0]?.worker.getState(), 'STOPPED');
    await assert.rejects(fetch(`${stack.services.emulator.url}/_emulator/healthz`));
  });
});
