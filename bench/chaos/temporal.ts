import type { TemporalDevServer } from '../../devstack/temporal-dev-server';
import { startTemporalDevServer } from '../../devstack/temporal-dev-server';

/** A dev server on a fixed port with its state in a SQLite file, so it can be stopped and started again. */
export class ChaosTemporal {
  private server?: TemporalDevServer;
  /** Restarts done. */
  restarts = 0;

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
    await this.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start();
    this.restarts += 1;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}
