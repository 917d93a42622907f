import { ConfigError } from './reader';

/** Exit code of a process that was given a bad configuration or command line. */
export const CONFIG_ERROR_EXIT_CODE = 2;

/** Whether the command line asks for help (`--help` or `-h`); entries answer it before reading any configuration. */
export function helpRequested(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * The one closing `.catch` of every process entry. A {@link ConfigError} is the user's to fix: its list of problems
 * is printed once, without a stack trace, and the exit code is 2. Anything else is a crash: printed whole, exit 1.
 */
export function exitOnStartFailure(err: unknown): never {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(CONFIG_ERROR_EXIT_CODE);
  }
  console.error(err);
  process.exit(1);
}

/** Resolves with the first SIGINT or SIGTERM; a second one ends the process at once (exit 1) in case closing hangs. */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const force = (): never => process.exit(1);
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      process.once('SIGINT', force).once('SIGTERM', force);
      resolve(signal);
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  });
}

/**
 * Graceful shutdown of a long-running process: on the first SIGINT/SIGTERM, tells `log`, awaits `close()` and exits 0,
 * or exits 1 when closing fails.
 */
export function closeOnShutdownSignal(
  close: () => Promise<void>,
  log: {
    info(message: string, fields: { signal: string }): void;
    error(message: string, fields: { error: string }): void;
  },
): void {
  void shutdownSignal().then(async (signal) => {
    log.info('shutting down', { signal });
    try {
      await close();
      process.exit(0);
    } catch (err) {
      // Name only: messages of unexpected errors may carry internals.
      log.error('shutdown failed', { error: err instanceof Error ? err.name : typeof err });
      process.exit(1);
    }
  });
}
