import { WorkflowFailedError } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { CiError } from '../ci/errors';
import { ConfigError } from '../config/reader';
import { Flags, helpHint, splitCommandLine } from './args';
import type { BatchCommand } from './commands/batch';
import { parseBatch, runBatch } from './commands/batch';
import type { DoctorCommand } from './commands/doctor';
import { parseDoctor, runDoctor } from './commands/doctor';
import type { JobsGetCommand, JobsListCommand } from './commands/jobs';
import { parseJobsGet, parseJobsList, runJobsGet, runJobsList } from './commands/jobs';
import type { StatusCommand } from './commands/status';
import { runStatus } from './commands/status';
import type { TranscribeCommand } from './commands/transcribe';
import type { UploadCommand } from './commands/upload';
import { parseUpload, runUpload } from './commands/upload';
import type { SetupCommand } from './commands/setup';
import { parseSetupCommand, SETUP_RUNNERS } from './commands/setup';
import { parseTranscribe, runTranscribe } from './commands/transcribe';
import type { CliContext } from './context';
import { isDeadlineExceeded, isUnavailable, TemporalTimeoutError } from './deadline';
import {
  errorChain,
  formatErrorChain,
  formatOneLine,
  formatUnreachable,
  TemporalUnreachableError,
  UsageError,
} from './errors';
import { PreflightError } from './preflight';
import { writeJson } from './output';

/**
 * Exit codes of the CLI (docs/cli.md): 1 the work failed (a workflow, a batch item, an unknown id); 2 a bad command
 * line, configuration or media, refused before anything started; 3 Temporal or CI could not be reached in time.
 */
export const ExitCode = { ok: 0, failure: 1, usage: 2, unavailable: 3 } as const;

/** A fully parsed and checked command line. */
export type CliCommand =
  | { kind: 'help'; text: string }
  | TranscribeCommand
  | DoctorCommand
  | BatchCommand
  | UploadCommand
  | StatusCommand
  | JobsListCommand
  | JobsGetCommand
  | SetupCommand;

/** Parses argv (without `node` and the script) into a checked command. Pure; throws `UsageError`. */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  const raw = splitCommandLine(argv);
  if (raw.kind === 'help') return raw;
  const name = raw.spec.path.join(' ');
  const flags = new Flags(raw.flags, name);
  const [first] = raw.positionals;
  const setup = parseSetupCommand(name, raw.positionals, flags);
  if (setup !== undefined) return setup;
  switch (name) {
    case 'transcribe':
      return parseTranscribe(first!, flags);
    case 'batch':
      return parseBatch(first, flags);
    case 'upload':
      return parseUpload(raw.positionals, flags);
    case 'status':
      return { kind: 'status', workflowId: first!, json: flags.bool('json') };
    case 'doctor':
      return parseDoctor(flags);
    case 'jobs list':
      return parseJobsList(flags);
    default:
      return parseJobsGet(raw.positionals, flags);
  }
}

type RunnableCommand = Exclude<CliCommand, { kind: 'help' }>;

/** The runner of each command kind; the mapped type makes a missing or mistyped runner a compile error. */
const RUNNERS: {
  [K in RunnableCommand['kind']]: (cmd: Extract<RunnableCommand, { kind: K }>, ctx: CliContext) => Promise<number>;
} = {
  transcribe: runTranscribe,
  doctor: runDoctor,
  batch: runBatch,
  upload: runUpload,
  status: runStatus,
  'jobs-list': runJobsList,
  'jobs-get': runJobsGet,
  ...SETUP_RUNNERS,
};

async function dispatch(cmd: RunnableCommand, ctx: CliContext): Promise<number> {
  // TypeScript cannot correlate `cmd.kind` with its runner's parameter; RUNNERS' type guarantees they match.
  const run = RUNNERS[cmd.kind] as (cmd: RunnableCommand, ctx: CliContext) => Promise<number>;
  return await run(cmd, ctx);
}

/** Errors that mean a service did not answer: the command may work when tried again. */
function isUnavailableError(err: unknown): boolean {
  if (err instanceof TemporalUnreachableError || err instanceof TemporalTimeoutError) return true;
  // CI or COS never answered (connection refused, timeout): a network code and no HTTP status. A CiError the client
  // raised itself (e.g. `NotFound`: no such queue) has no status either, but is not retryable.
  if (err instanceof CiError && err.statusCode === undefined && err.retryable) return true;
  return isUnavailable(err) || isDeadlineExceeded(err);
}

function reportFailure(err: unknown, json: boolean, ctx: CliContext): number {
  if (err instanceof ConfigError || err instanceof PreflightError) {
    // The user's to fix, like a usage error: the problems once, no cause chain.
    ctx.stderr.write(`error: ${err.message}\n`);
    if (json) writeJson(ctx.stdout, { error: [{ name: err.name, message: err.message }] });
    return ExitCode.usage;
  }
  if (json) writeJson(ctx.stdout, { error: errorChain(err) });
  if (err instanceof WorkflowFailedError) {
    // The outcome of the work: why it failed is the cause chain, so it is shown whole.
    ctx.stderr.write(`${formatErrorChain(err)}\n`);
    return ExitCode.failure;
  }
  const hint =
    err instanceof WorkflowExecutionAlreadyStartedError
      ? '\nhint: that workflow id is taken; pick another --workflow-id or omit it for a fresh one.'
      : '';
  ctx.stderr.write(`${formatUnreachable(err, ctx.ciEndpoint?.()) ?? formatOneLine(err)}${hint}\n`);
  return isUnavailableError(err) ? ExitCode.unavailable : ExitCode.failure;
}

/**
 * Runs one command line (argv without `node` and the script) and returns the exit code ({@link ExitCode}). Every outcome is written to `ctx.stdout` / `ctx.stderr`; nothing throws.
 */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const json = argv.includes('--json');
  let cmd: CliCommand;
  try {
    cmd = parseCommandLine(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    ctx.stderr.write(`error: ${err.message}\n${helpHint(err.command)}\n`);
    if (json) writeJson(ctx.stdout, { error: [{ name: err.name, message: err.message }] });
    return ExitCode.usage;
  }
  if (cmd.kind === 'help') {
    ctx.stdout.write(cmd.text);
    return ExitCode.ok;
  }
  try {
    return await dispatch(cmd, ctx);
  } catch (err) {
    return reportFailure(err, json, ctx);
  }
}
