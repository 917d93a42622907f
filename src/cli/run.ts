import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { helpHint } from './args';
import { runBatch } from './commands/batch';
import { runJobsGet, runJobsList } from './commands/jobs';
import { runStatus } from './commands/status';
import { runTranscribe } from './commands/transcribe';
import type { CliContext } from './context';
import { UsageError } from './errors';
import { errorChain, formatErrorChain } from './failure';
import { writeJson } from './output';
import type { CliCommand } from './parse';
import { parseCommandLine } from './parse';

/** Exit codes of the CLI. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

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

function reportFailure(err: unknown, json: boolean, ctx: CliContext): void {
  const hint =
    err instanceof WorkflowExecutionAlreadyStartedError
      ? '\nhint: that workflow id is taken; pick another --workflow-id or omit it for a fresh one.'
      : '';
  ctx.stderr.write(`${formatErrorChain(err)}${hint}\n`);
  if (json) writeJson(ctx.stdout, { error: errorChain(err) });
}

/**
 * Runs one command line (argv without `node` and the script) and returns the exit code: 0 ok, 1 failure, 2 usage.
 * Every outcome is written to `ctx.stdout` / `ctx.stderr`; nothing throws.
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
    reportFailure(err, json, ctx);
    return ExitCode.failure;
  }
}
