import type { ChildWorker } from '../lib/child-worker';
import { spawnWorker } from '../lib/child-worker';
import { progress } from '../lib/runtime';

/** Kill timing of the chaos supervisor, in ms. */
export interface KillSchedule {
  /** A running worker lives uniformly between these before SIGKILL. */
  lifeMs: [number, number];
  /** A killed worker stays down uniformly between these before it is restarted. */
  downMs: [number, number];
}

/** Keeps a `src/worker.ts` child running, SIGKILLs it at random intervals and restarts it; also restarts crashes. */
export class WorkerSupervisor {
  private current?: ChildWorker;
  private stopped = false;
  private loop?: Promise<void>;
  private killing = true;
  /** SIGKILLs sent. */
  kills = 0;
  /** Processes started, the first included. */
  starts = 0;
  /** Processes that exited without being killed by the supervisor. */
  crashes = 0;

  /**
   * `ready` resolves once a new worker polls: its life is counted from then, so on a loaded machine (a slow tsx start)
   * kills still hit workers that run tasks rather than only workers that are still booting.
   */
  constructor(
    private readonly env: Record<string, string>,
    private readonly schedule: KillSchedule,
    private readonly ready?: (pid: number, gaveUp: () => boolean) => Promise<void>,
  ) {}

  /** Starts a worker and the kill loop; `killing` false just keeps one worker up. */
  start(killing: boolean): void {
    this.loop = this.run(killing);
  }

  /** Stops the kill loop and the current worker (SIGTERM: drains gracefully). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.current?.kill('SIGTERM');
  }

  /** Stops killing but keeps a worker running until {@link stop}. */
  calm(): void {
    this.killing = false;
  }

  private spawn(): void {
    this.current = spawnWorker(this.env);
    this.starts += 1;
  }

  /**
   * Waits for `worker` to poll, or to exit: a worker started while the server is down exits at once (connection
   * refused), and must be restarted then, not when the ready wait times out (60 s without any worker).
   */
  private async untilReadyOrExited(worker: ChildWorker): Promise<void> {
    await this.ready?.(worker.pid, () => worker.exited() || this.stopped).catch(() => undefined);
  }

  private async run(killing: boolean): Promise<void> {
    this.killing = killing;
    this.spawn();
    while (!this.stopped) {
      if (this.current) await this.untilReadyOrExited(this.current);
      const life = Date.now() + uniform(this.schedule.lifeMs);
      while (!this.stopped && Date.now() < life) {
        await sleep(100);
        if (this.current?.exited()) {
          this.crashes += 1;
          progress(`chaos: worker exited on its own: ${this.current.stderrTail().slice(-300)}`);
          this.spawn();
        }
      }
      if (this.stopped || !this.killing) continue;
      await this.current?.kill('SIGKILL');
      this.kills += 1;
      await sleep(uniform(this.schedule.downMs));
      if (!this.stopped) this.spawn();
    }
  }
}

function uniform([low, high]: [number, number]): number {
  return low + Math.random() * (high - low);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
