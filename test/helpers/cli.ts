import { join } from 'node:path';
import type { CliStream } from '../../src/cli/context';

/** The project's tsx, to run the CLI's entry as a real process. */
export const TSX = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
/** The CLI's entry (`transcribe-asr`), run through {@link TSX}. */
export const CLI_MAIN = join(__dirname, '..', '..', 'src', 'cli', 'main.ts');

/** A CLI output stream that keeps what was written. */
export interface Recorder extends CliStream {
  text(): string;
}

/** A {@link Recorder} for `CliContext.stdout`/`stderr` of an in-process `runCli`. */
export function recorder(): Recorder {
  let text = '';
  return { write: (chunk: string) => (text += chunk), text: () => text };
}
