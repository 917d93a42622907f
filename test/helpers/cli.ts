import { join } from 'node:path';
import type { CliContext, CliStream } from '../../src/cli/context';
import { runCli } from '../../src/cli/run';

/** The project's tsx, to run the CLI's entry as a real process. */
export const TSX = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
/** The CLI's entry (`transcribe-asr`), run through {@link TSX}. */
export const CLI_MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

/** A CLI output stream that keeps what was written. */
export interface Recorder extends CliStream {
  text(): string;
}

/** A {@link Recorder} for `CliContext.stdout`/`stderr` of an in-process `runCli`; a terminal when `isTTY`. */
export function recorder(isTTY = false): Recorder {
  let text = '';
  return { isTTY, write: (chunk: string) => (text += chunk), text: () => text };
}

/**
 * Runs one command line in-process through the CLI's dispatch with `ctx` and recording streams (stderr a terminal
 * when `ttyStderr`): the exit code and what each stream received.
 */
export async function runCliRecorded(
  argv: string[],
  ctx: Omit<CliContext, 'stdout' | 'stderr'>,
  ttyStderr = false,
): Promise<{ code: number; out: string; err: string }> {
  const stdout = recorder();
  const stderr = recorder(ttyStderr);
  const code = await runCli(argv, { ...ctx, stdout, stderr });
  return { code, out: stdout.text(), err: stderr.text() };
}
