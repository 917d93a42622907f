import { ApplicationFailure } from '@temporalio/common';
import { TencentCiAsrError } from '../shared/errors';

/** Bad command line: unknown command or flag, missing argument, invalid value. Exit code 2. */
export class UsageError extends TencentCiAsrError {
  override readonly name = 'UsageError';
  /** The command whose `--help` to point at, e.g. `jobs list`; undefined for the top level. */
  readonly command: string | undefined;

  constructor(message: string, command?: string, options?: ErrorOptions) {
    super(message, options);
    this.command = command;
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
      `Cannot reach Temporal at ${address}. Start the local stack with \`npm run dev\`, or set TEMPORAL_ADDRESS ` +
        '(and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY or TEMPORAL_TLS_* when needed).',
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

/** The chain without links that only repeat the message of the link before them (wrappers often do). */
function distinctLinks(err: unknown): ErrorLink[] {
  const links = errorChain(err);
  return links.filter((link, i) => i === 0 || !(links[i - 1]?.message ?? '').includes(link.message));
}

/** A multi-line text form of {@link errorChain}: the error, then `caused by:` lines (repeats left out). */
export function formatErrorChain(err: unknown): string {
  return distinctLinks(err)
    .map((link, i) => {
      const type = link.type === undefined ? '' : ` [${link.type}]`;
      return `${i === 0 ? 'error' : '  caused by'}: ${link.name}${type}: ${link.message}`;
    })
    .join('\n');
}

/** The first line of a message. */
function firstLine(message: string): string {
  return message.split('\n')[0] ?? '';
}

/**
 * One line for an error the CLI did not expect: the error and, when it adds something, its innermost cause. Never a
 * stack trace.
 */
export function formatOneLine(err: unknown): string {
  const links = distinctLinks(err);
  const [first] = links;
  const last = links.at(-1);
  if (first === undefined) return 'error: unknown error';
  const head = `error: ${first.name}: ${firstLine(first.message)}`;
  return last === undefined || last === first ? head : `${head} (caused by ${last.name}: ${firstLine(last.message)})`;
}
