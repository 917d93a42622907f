/** What `/healthz` reports: Temporal's state as last seen by the background check. */
export interface HealthState {
  temporal: 'ok' | 'unavailable' | 'unknown';
  /** When it was last checked (ISO 8601), once it was. */
  checkedAt?: string;
}

/**
 * Keeps Temporal's health fresh in the background (one namespace call per `intervalMs`), so `/healthz` answers from
 * memory: probes, however frequent, never turn into Temporal calls. The first probe before any check has finished
 * waits for that first check.
 */
export class HealthMonitor {
  private state: HealthState = { temporal: 'unknown' };
  private first?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly check: () => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly now: () => Date,
  ) {}

  /** Runs the first check now and then one per interval, until {@link stop}. */
  start(): void {
    this.first = this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The state to report; waits only for the first check. */
  async current(): Promise<HealthState> {
    if (this.state.temporal === 'unknown') await this.first;
    return this.state;
  }

  /** One check at a time: a slow Temporal must not pile up checks behind the timer. */
  private refresh(): Promise<void> {
    this.running ??= this.check()
      .catch(() => false)
      .then((ok) => {
        this.state = { temporal: ok ? 'ok' : 'unavailable', checkedAt: this.now().toISOString() };
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
