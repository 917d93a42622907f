#!/usr/bin/env node
/**
 * The `transcribe-asr` command: `npm run cli -- <command>` or, installed, `transcribe-asr <command>`. Reads the same
 * environment variables as the worker; see `transcribe-asr --help` and docs/cli.md.
 */
import { exitOnStartFailure } from '../config/process-entry';
import { createCliContext, loadCliConfig } from './context';
import { runCli } from './run';

/** Exit code of a process ended by Ctrl-C (128 + SIGINT). */
const INTERRUPTED = 130;

async function main(): Promise<void> {
  // Ctrl-C only stops the waiting: a started workflow belongs to the server and keeps running.
  process.once('SIGINT', () => {
    process.stderr.write(
      `\nStopped waiting. Started workflows keep running: see 'transcribe-asr status <workflowId>'.\n`,
    );
    process.exit(INTERRUPTED);
  });
  const context = createCliContext(loadCliConfig(process.env), { stdout: process.stdout, stderr: process.stderr });
  try {
    process.exitCode = await runCli(process.argv.slice(2), context);
  } finally {
    await context.close();
  }
}

main().catch(exitOnStartFailure);
