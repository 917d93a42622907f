import { ApplicationFailure } from '@temporalio/common';
import { TencentCiAsrError } from '../shared/errors';

/** Bad command line: unknown command or flag, missing argument, invalid value. Exit code 2. */
export class UsageError extends TencentCiAsrError {
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
export class TemporalUnreachableError extends TencentCiAsrError {
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

/** One link of an error's cause chain, as shown to users and in `--json` output. */
export interface ErrorLink {
  name: string;
  message: string;
  /** `ApplicationFailure.type` (see `FailureType`), or a CI error code. */
  type?: string;
}

/** The chain `err → cause → ...` (at most 8 links), with failure types and CI codes. */
export function errorChain(err: unknown): ErrorLink[] {
  const links: ErrorLink[] = [];
  let current: unknown = err;
  while (current !== undefined && current !== null && links.length < 8) {
    if (!(current instanceof Error)) {
      links.push({ name: 'Error', message: typeof current === 'string' ? current : JSON.stringify(current) });
      break;
    }
    const code = (current as { code?: unknown }).code;
    const type = current instanceof ApplicationFailure ? current.type : typeof code === 'string' ? code : undefined;
    links.push({ name: current.name, message: current.message, ...(type ? { type } : {}) });
    current = current.cause;
  }
  return links;
}

/** A multi-line text form of {@link errorChain}: the error, then `caused by:` lines. */
export function formatErrorChain(err: unknown): string {
  return errorChain(err)
    .map((link, i) => {
      const type = link.type === undefined ? '' : ` [${link.type}]`;
      return `${i === 0 ? 'error' : '  caused by'}: ${link.name}${type}: ${link.message}`;
    })
    .join('\n');
}
