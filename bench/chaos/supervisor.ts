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

/** How a {@link WorkerSupervisor} starts its workers and tells their exits apart. */
export interface SupervisorOptions {
  /** Resolves once the worker `pid` polls (or rejects when `gaveUp()`); its life is counted from then. */
  ready?: (pid: number, gaveUp: () => boolean) => Promise<void>;
  /**
   * Whether an exit of a worker alive over `[startedAt, exitedAt]` (epoch ms) was caused by the harness itself
   * (it stopped the Temporal server meanwhile): such exits are counted as `exitsInOutages`, not as crashes.
   */
  excused?: (startedAt: number, exitedAt: number) => boolean;
  /** Worker entry module; default `src/worker.ts`. */
  entry?: string;
}

/** Keeps a `src/worker.ts` child running, SIGKILLs it at random intervals and restarts it; also restarts crashes. */
export class WorkerSupervisor {
  private current?: ChildWorker;
  private currentStartedAt = 0;
  private stopped = false;
  private loop?: Promise<void>;
  private killing = true;
  /** SIGKILLs sent. */
  kills = 0;
  /** Processes started, the first included. */
  starts = 0;
  /** Processes that exited on their own (not killed by the supervisor), the harness's server outages aside. Must be 0. */
  crashes = 0;
  /** Processes that exited on their own while the harness had the Temporal server stopped (see `excused`). */
  exitsInOutages = 0;
  /** The stderr tails of the crashed processes (the first few), for the report. */
  readonly crashReports: string[] = [];
  private markPolling!: () => void;
  /** Resolves once a worker of this supervisor has polled (or gave up waiting) for the first time. */
  readonly polling = new Promise<void>((resolve) => (this.markPolling = resolve));

  /**
   * `options.ready` resolves once a new worker polls: its life is counted from then, so on a loaded machine (a slow
   * tsx start) kills still hit workers that run tasks rather than only workers that are still booting.
   */
  constructor(
    private readonly env: Record<string, string>,
    private readonly schedule: KillSchedule,
    private readonly options: SupervisorOptions = {},
  ) {}

  /** Starts a worker and the kill loop; `killing` false just keeps one worker up. */
  start(killing: boolean): void {
    this.loop = this.run(killing);
  }

  /** Stops the kill loop and the current worker (SIGTERM: drains gracefully). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    // An exit the loop had no time to see is still an exit of its own.
    if (this.current?.exited()) this.noteOwnExit(this.current);
    await this.current?.kill('SIGTERM');
  }

  /** Stops killing but keeps a worker running until {@link stop}. */
  calm(): void {
    this.killing = false;
  }

  private spawn(): void {
    this.current = spawnWorker(this.env, [], this.options.entry);
    this.currentStartedAt = Date.now();
    this.starts += 1;
  }

  /** Counts an exit the supervisor did not cause: a crash, unless the harness's server outage explains it. */
  private noteOwnExit(worker: ChildWorker): void {
    const tail = worker.stderrTail().slice(-300);
    if (this.options.excused?.(this.currentStartedAt, Date.now())) {
      this.exitsInOutages += 1;
      progress(`chaos: worker exited during a server outage: ${tail}`);
      return;
    }
    this.crashes += 1;
    // The error's own lines (name and message, where it was emitted), not the stack frames between them.
    const cause = worker
      .stderrTail()
      .split('\n')
      .filter((line) => /error/i.test(line) && !/^\s+at /.test(line))
      .slice(0, 3)
      .join(' | ');
    if (this.crashReports.length < 5) this.crashReports.push(cause || tail);
    progress(`chaos: worker exited on its own: ${tail}`);
  }

  /**
   * Waits for `worker` to poll, or to exit: a worker started while the server is down exits at once (connection
   * refused), and must be restarted then, not when the ready wait times out (60 s without any worker).
   */
  private async untilReadyOrExited(worker: ChildWorker): Promise<void> {
    await this.options.ready?.(worker.pid, () => worker.exited() || this.stopped).catch(() => undefined);
  }

  private async run(killing: boolean): Promise<void> {
    this.killing = killing;
    this.spawn();
    while (!this.stopped) {
      if (this.current) await this.untilReadyOrExited(this.current);
      this.markPolling();
      const life = Date.now() + uniform(this.schedule.lifeMs);
      while (!this.stopped && Date.now() < life) {
        await sleep(100);
        if (this.current?.exited()) {
          this.noteOwnExit(this.current);
          this.spawn();
        }
      }
      if (this.stopped || !this.killing) continue;
      await this.current?.kill('SIGKILL');
      // Forgotten at once: a stop during the down time must not take this kill for an exit of the worker's own.
      this.current = undefined;
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
