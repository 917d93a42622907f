import { ApplicationFailure } from '@temporalio/common';
import { CiError } from '../ci/errors';
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

/**
 * A link for a cause that is no `Error` (the COS SDK rejects with plain objects): its code and message when it has
 * them, so no JSON dump reaches a terminal.
 */
function plainLink(value: unknown): ErrorLink {
  if (typeof value === 'string') return { name: 'Error', message: value };
  const { code, name, message } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof message === 'string') {
    const label = typeof code === 'string' ? code : typeof name === 'string' ? name : 'Error';
    return { name: label, message };
  }
  return { name: 'Error', message: String(JSON.stringify(value)) };
}

/** The chain `err → cause → ...` (at most 8 links), with failure types and CI codes. */
export function errorChain(err: unknown): ErrorLink[] {
  const links: ErrorLink[] = [];
  let current: unknown = err;
  while (current !== undefined && current !== null && links.length < 8) {
    if (!(current instanceof Error)) {
      links.push(plainLink(current));
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

/** Where a CI or COS request went that got no answer: the configured endpoint, else the URL the SDK called. */
function endpointOf(err: CiError, endpoint: string | undefined): string | undefined {
  if (endpoint !== undefined) return endpoint;
  const url = (err.cause as { url?: unknown } | undefined)?.url;
  if (typeof url !== 'string') return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * One line for a CI or COS request that got no HTTP answer (refused, unknown host, timed out): the endpoint it went
 * to and the fix; undefined for any other error. `endpoint` is the configured `CI_ENDPOINT` (the local emulator).
 */
export function formatUnreachable(err: unknown, endpoint: string | undefined): string | undefined {
  if (!(err instanceof CiError) || err.statusCode !== undefined || !/^E[A-Z]+$/.test(err.code)) return undefined;
  const where = endpointOf(err, endpoint);
  const what = `${err.action} ${err.target}`;
  const fix =
    endpoint !== undefined
      ? 'Start the local stack with `npm run dev` (it serves the CI emulator), or check CI_ENDPOINT and the network.'
      : 'Check the network, CI_REGION and CI_BUCKET; for the local emulator start `npm run dev` and set CI_ENDPOINT.';
  const at = where === undefined ? 'CI/COS' : where;
  return `error: Cannot reach ${at} (${err.code}) for ${what}. ${fix}`;
}
