import type { Worker } from '@temporalio/worker';

/** A worker running in this process, and how to stop it. */
export interface RunningWorker {
  worker: Worker;
  /** Shuts the worker down (unless it already stopped) and waits for it to drain; rejects if the worker failed. */
  stop(): Promise<void>;
}

/**
 * Runs `worker` in the background and returns its stop handle: the one way the local stack, the tests and the bench
 * run in-process workers.
 */
export function runWorker(worker: Worker): RunningWorker {
  const running = worker.run();
  // Observed here so a worker that dies early is not an unhandled rejection; `stop()` still reports it.
  running.catch(() => undefined);
  return {
    worker,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
