#!/usr/bin/env node
/**
 * The `transcribe-asr` command: `npm run cli -- <command>` or, installed, `transcribe-asr <command>`. Reads the same
 * environment variables as the worker, over the settings file `npm run dev` writes (`.dev/cli.env`); see
 * `transcribe-asr --help` and docs/cli.md.
 */
import { exitOnStartFailure } from '../config/process-entry';
import { ConfigError } from '../config/reader';
import { createCliContext, loadCliConfig } from './context';
import { CLI_NAME } from './cli-name';
import { withEnvFile } from './env-file';
import { formatOneLine } from './errors';
import { ExitCode, runCli } from './run';

/** Exit code of a process ended by Ctrl-C (128 + SIGINT). */
const INTERRUPTED = 130;

async function main(): Promise<void> {
  // Ctrl-C only stops the waiting: a started workflow belongs to the server and keeps running.
  process.once('SIGINT', () => {
    process.stderr.write(`\nStopped waiting. Started workflows keep running: see '${CLI_NAME} status <workflowId>'.\n`);
    process.exit(INTERRUPTED);
  });
  // A late failure of a connection (e.g. a gRPC channel closing under a call) must not end in a stack trace.
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`${formatOneLine(err)}\n`);
    process.exit(ExitCode.failure);
  });
  const { env } = withEnvFile(process.env, process.cwd());
  const context = createCliContext(loadCliConfig(env), { stdout: process.stdout, stderr: process.stderr });
  try {
    process.exitCode = await runCli(process.argv.slice(2), context);
  } finally {
    await context.close();
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) exitOnStartFailure(err);
  process.stderr.write(`${formatOneLine(err)}\n`);
  process.exit(ExitCode.failure);
});
