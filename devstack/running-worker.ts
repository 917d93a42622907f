import type { Worker } from '@temporalio/worker';

/** A worker running in this process (with its companions, e.g. the CI quota worker), and how to stop them. */
export interface RunningWorker {
  worker: Worker;
  /** Shuts the workers down (unless they already stopped) and waits for them to drain; rejects if one failed. */
  stop(): Promise<void>;
}

/**
 * Runs `worker` and its `companions` in the background and returns one stop handle: the one way the local stack,
 * the tests and the bench run in-process workers.
 */
export function runWorker(worker: Worker, ...companions: Worker[]): RunningWorker {
  const all = [worker, ...companions];
  const running = all.map((w) => w.run());
  // Observed here so a worker that dies early is not an unhandled rejection; `stop()` still reports it.
  for (const run of running) run.catch(() => undefined);
  return {
    worker,
    stop: async () => {
      for (const w of all) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.all(running);
    },
  };
}
