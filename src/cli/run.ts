import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ConfigError } from '../config/reader';
import { Flags, helpHint, splitCommandLine } from './args';
import type { BatchCommand } from './commands/batch';
import { parseBatch, runBatch } from './commands/batch';
import type { JobsGetCommand, JobsListCommand } from './commands/jobs';
import { parseJobsGet, parseJobsList, runJobsGet, runJobsList } from './commands/jobs';
import type { StatusCommand } from './commands/status';
import { runStatus } from './commands/status';
import type { TranscribeCommand } from './commands/transcribe';
import { parseTranscribe, runTranscribe } from './commands/transcribe';
import type { CliContext } from './context';
import { errorChain, formatErrorChain, UsageError } from './errors';
import { writeJson } from './output';

/** Exit codes of the CLI: 2 is a bad command line or configuration, which the user fixes before trying again. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/** A fully parsed and checked command line. */
export type CliCommand =
  { kind: 'help'; text: string } | TranscribeCommand | BatchCommand | StatusCommand | JobsListCommand | JobsGetCommand;

/** Parses argv (without `node` and the script) into a checked command. Pure; throws `UsageError`. */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  const raw = splitCommandLine(argv);
  if (raw.kind === 'help') return raw;
  const name = raw.spec.path.join(' ');
  const flags = new Flags(raw.flags, name);
  const [first] = raw.positionals;
  switch (name) {
    case 'transcribe':
      return parseTranscribe(first!, flags);
    case 'batch':
      return parseBatch(first, flags);
    case 'status':
      return { kind: 'status', workflowId: first!, json: flags.bool('json') };
    case 'jobs list':
      return parseJobsList(flags);
    default:
      return parseJobsGet(raw.positionals, flags);
  }
}

async function dispatch(cmd: Exclude<CliCommand, { kind: 'help' }>, ctx: CliContext): Promise<number> {
  switch (cmd.kind) {
    case 'transcribe':
      return await runTranscribe(cmd, ctx);
    case 'batch':
      return await runBatch(cmd, ctx);
    case 'status':
      return await runStatus(cmd, ctx);
    case 'jobs-list':
      return await runJobsList(cmd, ctx);
    case 'jobs-get':
      return await runJobsGet(cmd, ctx);
  }
}

function reportFailure(err: unknown, json: boolean, ctx: CliContext): number {
  if (err instanceof ConfigError) {
    // The user's to fix, like a usage error: the list of problems once, no cause chain.
    ctx.stderr.write(`error: ${err.message}\n`);
    if (json) writeJson(ctx.stdout, { error: [{ name: err.name, message: err.message }] });
    return ExitCode.usage;
  }
  const hint =
    err instanceof WorkflowExecutionAlreadyStartedError
      ? '\nhint: that workflow id is taken; pick another --workflow-id or omit it for a fresh one.'
      : '';
  ctx.stderr.write(`${formatErrorChain(err)}${hint}\n`);
  if (json) writeJson(ctx.stdout, { error: errorChain(err) });
  return ExitCode.failure;
}

/**
 * Runs one command line (argv without `node` and the script) and returns the exit code: 0 ok, 1 failure, 2 usage or
 * configuration error. Every outcome is written to `ctx.stdout` / `ctx.stderr`; nothing throws.
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
