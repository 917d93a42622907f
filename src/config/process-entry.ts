import type { FlagTypes } from './reader';
import { PortInUseError } from '../shared/listen';
import { ConfigError, ConfigReader } from './reader';

/** Exit code of a process that was given a bad configuration or command line. */
export const CONFIG_ERROR_EXIT_CODE = 2;

/** Whether the command line asks for help (`--help` or `-h`); entries answer it before reading any configuration. */
export function helpRequested(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * The command line of a process entry: answers `--help` with `help` (and returns undefined), else returns the reader
 * of the environment and of `flags`.
 */
export function readCommandLine(help: string, flags: FlagTypes): ConfigReader | undefined {
  const argv = process.argv.slice(2);
  if (!helpRequested(argv)) return new ConfigReader(process.env, argv, flags);
  process.stdout.write(help);
  return undefined;
}

/**
 * The one closing `.catch` of every process entry. A {@link ConfigError} or a {@link PortInUseError} is the user's to
 * fix: its message (the list of problems, or the one line naming the port) is printed once, without a stack trace,
 * and the exit code is 2. Anything else is a crash: printed whole, exit 1.
 */
export function exitOnStartFailure(err: unknown): never {
  if (err instanceof ConfigError || err instanceof PortInUseError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(CONFIG_ERROR_EXIT_CODE);
  }
  console.error(err);
  process.exit(1);
}

/**
 * Milliseconds in which repeated signals count as the first: one Ctrl-C reaches a process several times when it runs
 * under `npm run` and `tsx` (the terminal signals the whole process group, and both relay the signal to their child).
 */
const REPEATED_SIGNAL_MS = 2_000;

/**
 * Resolves with the first SIGINT or SIGTERM; a later one (after {@link REPEATED_SIGNAL_MS}) ends the process at once
 * (exit 1) in case closing hangs.
 */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: number | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (first === undefined) {
        first = Date.now();
        resolve(signal);
      } else if (Date.now() - first > REPEATED_SIGNAL_MS) process.exit(1);
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
