import type { ActivityDeps } from '../../src/activities/deps';
import type { LocalStack, LocalStackOptions } from '../../devstack/local-stack';
import { startLocalStack } from '../../devstack/local-stack';
import type { RunningWorker } from '../../devstack/running-worker';
import { runWorker } from '../../devstack/running-worker';
import { silentWav } from '../../src/emulator';
import { createQuotaWorker } from '../../src/plugin/quota-worker';
import { bundleTranscriptionWorkflows, createTranscriptionWorker } from '../../src/worker-setup/transcription-worker';
import type { TranscribeMediaInput } from '../../src';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import type { WorkerOptions } from '@temporalio/worker';
import { createBaselineActivities } from '../baseline/activities';

/** Worker tuning shared by every in-process benchmark worker. */
export type BenchWorkerOptions = Omit<
  WorkerOptions,
  'connection' | 'namespace' | 'taskQueue' | 'activities' | 'workflowBundle' | 'workflowsPath'
>;

/** A local stack plus both workflow bundles, and helpers to start workers on chosen task queues. */
export interface BenchStack {
  stack: LocalStack;
  transcriptionBundle: { code: string };
  /** Seeds a one-second WAV at `key` in the stack's bucket. */
  seedMedia(key: string): void;
  /** A `transcribeMedia` worker on `taskQueue` (activities reach CI through `deps`, default the stack's). */
  startTranscriptionWorker(taskQueue: string, deps?: ActivityDeps): Promise<RunningWorker>;
  /** A baseline worker on `taskQueue`; signal failures are collected in `baselineErrors`. */
  startBaselineWorker(taskQueue: string): Promise<RunningWorker>;
  baselineErrors: unknown[];
  stop(): Promise<void>;
}

const quietLogger = (() => {
  const noop = (): void => undefined;
  return { trace: noop, debug: noop, info: noop, warn: noop, error: noop, log: noop };
})();

/** The recognition settings every benchmark job uses. */
export const BENCH_RECOGNITION = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

/** A `transcribeMedia` input for `key` with its own output key (so runs sharing one media object never collide). */
export function benchInput(key: string, outputKey: string, extra: Partial<TranscribeMediaInput> = {}) {
  return { media: { object: key }, recognition: BENCH_RECOGNITION, output: { key: outputKey }, ...extra };
}

/** Starts the stack (its own dev server, emulator, receiver; no workers yet) and builds both bundles. */
export async function startBenchStack(
  options: Pick<LocalStackOptions, 'services' | 'temporal'>,
  workerOptions: BenchWorkerOptions,
): Promise<BenchStack> {
  const stack = await startLocalStack({ ...options, workers: 0 });
  const extraWorkers: RunningWorker[] = [];
  const baselineErrors: unknown[] = [];
  try {
    const transcriptionBundle = await bundleTranscriptionWorkflows();
    const baselineBundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../baseline/workflows'),
      logger: quietLogger,
    });
    const wav = silentWav(1);
    const track = (worker: RunningWorker): RunningWorker => (extraWorkers.push(worker), worker);
    return {
      stack,
      transcriptionBundle,
      baselineErrors,
      seedMedia: (key) => stack.services.emulator.putObject(stack.services.bucket, key, wav),
      startTranscriptionWorker: async (taskQueue, deps) => {
        const worker = await createTranscriptionWorker({
          connection: stack.connection,
          namespace: stack.temporal.namespace,
          taskQueue,
          deps: deps ?? stack.services.deps,
          workflowBundle: transcriptionBundle,
          workerOptions,
        });
        const quota = await createQuotaWorker({
          connection: stack.connection,
          namespace: stack.temporal.namespace,
          taskQueue,
          submitsPerSecond: 1000,
          // Lone runs submit on the quota queue: its worker serves them (as the plugin's does).
          deps: deps ?? stack.services.deps,
        });
        return track(runWorker(worker, quota));
      },
      startBaselineWorker: async (taskQueue) => {
        const worker = await Worker.create({
          ...workerOptions,
          connection: stack.connection,
          namespace: stack.temporal.namespace,
          taskQueue,
          workflowBundle: baselineBundle,
          activities: createBaselineActivities(stack.client, (err) => baselineErrors.push(err)),
        });
        return track(runWorker(worker));
      },
      stop: async () => {
        await Promise.allSettled(extraWorkers.map((worker) => worker.stop()));
        await stack.stop();
      },
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
