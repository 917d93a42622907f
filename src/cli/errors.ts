/** Bad command line: unknown command or flag, missing argument, invalid value. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The command whose `--help` to point at, e.g. `jobs list`; undefined for the top level. */
    readonly command?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The Temporal server could not be reached. */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';

  constructor(
    readonly address: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot reach Temporal at ${address}.\n` +
        'Set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY or TEMPORAL_TLS_* when needed), ' +
        'or start a dev server with `temporal server start-dev`.',
      options,
    );
  }
}
