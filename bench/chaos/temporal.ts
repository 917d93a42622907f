import type { TemporalDevServer } from '../../devstack/temporal-dev-server';
import { startTemporalDevServer } from '../../devstack/temporal-dev-server';

/** A dev server on a fixed port with its state in a SQLite file, so it can be stopped and started again. */
export class ChaosTemporal {
  private server?: TemporalDevServer;
  /** Restarts done. */
  restarts = 0;
  /** Epoch-ms intervals during which this harness had the server stopped (`end` unset while it still is). */
  private readonly outages: { start: number; end?: number }[] = [];

  constructor(
    private readonly executable: string,
    private readonly port: number,
    private readonly dbFilename: string,
  ) {}

  /** `host:port` of the frontend (stable across restarts). */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = await startTemporalDevServer({
      executable: this.executable,
      port: this.port,
      dbFilename: this.dbFilename,
    });
  }

  /** Stops the server, keeps it down for `downMs`, and starts it again on the same port and file. */
  async restart(downMs: number): Promise<void> {
    const outage: { start: number; end?: number } = { start: Date.now() };
    this.outages.push(outage);
    try {
      await this.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await this.start();
      this.restarts += 1;
    } finally {
      outage.end = Date.now();
    }
  }

  /** Whether a restart of this harness overlapped the epoch-ms span `[from, to]` (a worker alive then may exit). */
  wasDownDuring(from: number, to: number): boolean {
    return this.outages.some((outage) => outage.start <= to && (outage.end ?? Infinity) >= from);
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}
