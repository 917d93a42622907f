import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';

/** Installs a Temporal runtime that only reports warnings, so benchmark output stays readable. Call once, first. */
export function installQuietRuntime(): void {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
}

/** Milliseconds since `start` (a `performance.now()` reading), rounded. */
export function elapsedMs(start: number): number {
  return Math.round(performance.now() - start);
}

/** Logs a progress line on stderr, so stdout holds only the table and the final JSON line. */
export function progress(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
