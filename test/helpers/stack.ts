import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import type { Client } from '@temporalio/client';
import type { LocalServices, LocalServicesOptions } from '../../devstack/local-services';
import type { Tracing } from '../../src/observability/tracing';
import { startLocalServices } from '../../devstack/local-services';
import type { RunningWorker } from '../../devstack/running-worker';
import { runWorker } from '../../devstack/running-worker';
import { createQuotaWorker } from '../../src/plugin/quota-worker';
import { bundleTranscriptionWorkflows, createTranscriptionWorker } from '../../src/worker-setup/transcription-worker';
import type { TemporalTestServer } from './temporal';
import { startTemporalForTests } from './temporal';

/** Bucket and region the test stacks use. */
export const TEST_BUCKET = 'media-1250000000';
export const TEST_REGION = 'ap-guangzhou';

/** Emulator + (optional) receiver + a worker on a unique task queue, wired like production. */
export interface TestStack extends LocalServices {
  client: Client;
  taskQueue: string;
  /** The worker started with the stack (a no-op handle when `startWorker` was false). */
  worker: RunningWorker;
  /** Starts another worker on the same task queue (e.g. after stopping the first). */
  startWorker(): Promise<RunningWorker>;
}

/** Options of {@link startStack}. */
export interface StackOptions {
  workflowBundle: { code: string };
  callbacks?: boolean;
  emulator?: LocalServicesOptions['emulator'];
  /** The receiver's rate limits (default the receiver's own). */
  receiverLimits?: LocalServicesOptions['receiverLimits'];
  /** Sign with the temporary keys of this token file (see `LocalServicesOptions.credentialsFile`). */
  credentialsFile?: string;
  /** Start an in-process worker right away; default true. */
  startWorker?: boolean;
  /** `ActivityDeps.sharedSubmitQueue` (only the deprecated `usesSharedSubmitQueue` reads it); default false. */
  sharedSubmitQueue?: boolean;
  /** Rate of the stack's CI quota worker; default `DEFAULT_CI_SUBMITS_PER_SECOND`. */
  submitsPerSecond?: number;
  /** Tracing of the worker (the receiver and the caller's client use the process's active tracing). */
  tracing?: Tracing;
  /** The worker serves the `transcription` Nexus service too; default false. */
  nexus?: boolean;
}

/** Starts a whole test stack against the given Temporal server. */
export async function startStack(temporal: TemporalTestServer, options: StackOptions): Promise<TestStack> {
  const services = await startLocalServices({
    temporal: { address: temporal.env.address, namespace: temporal.env.namespace ?? 'default' },
    bucket: TEST_BUCKET,
    region: TEST_REGION,
    callbacks: options.callbacks,
    credentialsFile: options.credentialsFile,
    receiverLimits: options.receiverLimits,
    emulator: { timings: { queuedMs: 0, runningMs: 150 }, ...options.emulator },
  });
  const taskQueue = `asr-test-${randomUUID()}`;
  const startWorker = async (): Promise<RunningWorker> =>
    runWorker(
      await createTranscriptionWorker({
        connection: temporal.env.nativeConnection,
        namespace: temporal.env.namespace,
        taskQueue,
        deps: { ...services.deps, sharedSubmitQueue: options.sharedSubmitQueue === true },
        workflowBundle: options.workflowBundle,
        tracing: options.tracing,
        nexus: options.nexus,
      }),
      await createQuotaWorker({
        connection: temporal.env.nativeConnection,
        namespace: temporal.env.namespace,
        taskQueue,
        submitsPerSecond: options.submitsPerSecond,
        // Lone runs submit on the quota queue (`submitTaskQueue`): its worker serves them, as the plugin's does.
        deps: services.deps,
        tracing: options.tracing,
      }),
    );
  const worker: RunningWorker =
    options.startWorker === false ? { worker: undefined as never, stop: () => Promise.resolve() } : await startWorker();
  return {
    ...services,
    client: temporal.env.client,
    taskQueue,
    worker,
    startWorker,
    stop: async () => {
      await worker.stop();
      await services.stop();
    },
  };
}

/** A suite's Temporal server, workflow bundle and stack, filled in by the hooks {@link useTestStack} registers. */
export interface StackSuite {
  temporal: TemporalTestServer;
  bundle: { code: string };
  stack: TestStack;
}

/**
 * Registers `before`/`after` hooks in the calling `describe` that start a Temporal connection, the workflow bundle
 * and a test stack, and stop them afterwards.
 */
export function useTestStack(options: Omit<StackOptions, 'workflowBundle'> = {}): StackSuite {
  const suite = {} as StackSuite;
  before(async () => {
    suite.temporal = await startTemporalForTests();
    suite.bundle = await bundleTranscriptionWorkflows();
    suite.stack = await startStack(suite.temporal, { ...options, workflowBundle: suite.bundle });
  });
  after(async () => {
    await suite.stack?.stop();
    await suite.temporal?.teardown();
  });
  return suite;
}

/** A suite whose tests each start the stack they need, all on one Temporal server and workflow bundle. */
export interface StackFactory {
  temporal: TemporalTestServer;
  bundle: { code: string };
  /** Every stack started so far, in order; stopped by the `after` hook. */
  stacks: TestStack[];
  /** Starts a stack with the factory's defaults overridden by `options`. */
  stackWith: (options?: Partial<StackOptions>) => Promise<TestStack>;
}

/**
 * Registers `before`/`after` hooks in the calling `describe` that start a Temporal connection and the workflow bundle,
 * and stop every stack `stackWith` started and the server afterwards.
 */
export function useStackFactory(defaults: Omit<StackOptions, 'workflowBundle'> = {}): StackFactory {
  const factory: StackFactory = {
    temporal: undefined as unknown as TemporalTestServer,
    bundle: undefined as unknown as { code: string },
    stacks: [],
    stackWith: async (options = {}) => {
      const stack = await startStack(factory.temporal, { ...defaults, workflowBundle: factory.bundle, ...options });
      factory.stacks.push(stack);
      return stack;
    },
  };
  before(async () => {
    factory.temporal = await startTemporalForTests();
    factory.bundle = await bundleTranscriptionWorkflows();
  });
  after(async () => {
    for (const stack of factory.stacks) await stack.stop();
    await factory.temporal?.teardown();
  });
  return factory;
}

/**
 * What a `src/worker.ts` or `transcribe-asr` process needs in its environment to reach `stack`: Temporal and the task
 * queue, the emulator's endpoint, bucket and keys.
 */
export function stackEnv(
  stack: TestStack,
  temporal: TemporalTestServer,
  taskQueue = stack.taskQueue,
): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: temporal.env.address,
    TEMPORAL_NAMESPACE: temporal.env.namespace ?? 'default',
    TEMPORAL_TASK_QUEUE: taskQueue,
    TENCENT_SECRET_ID: stack.secrets.secretId,
    TENCENT_SECRET_KEY: stack.secrets.secretKey,
    CI_BUCKET: stack.bucket,
    CI_REGION: stack.region,
    CI_ENDPOINT: stack.emulator.url,
  };
}
