/**
 * How to run the CLI, as hints print it: `transcribe-asr` where the package is installed (the compiled `bin`), and
 * `npm run cli --` in a clone, where the TypeScript sources run through tsx and no `transcribe-asr` is on PATH.
 */
const FROM_CLONE = __filename.endsWith('.ts');
export const CLI_NAME = FROM_CLONE ? 'npm run cli --' : 'transcribe-asr';

/** How to run the package's own worker, likewise: `npm start` in a clone, the `transcribe-asr-worker` bin installed. */
export const WORKER_COMMAND = FROM_CLONE ? 'npm start' : 'transcribe-asr-worker';

/** Characters a POSIX shell passes through unquoted. */
const SHELL_SAFE = /^[\w@%+=:,./-]+$/;

/** `arg` as a shell word: unchanged when safe, else single-quoted (a key with spaces stays one argument). */
export function shellQuote(arg: string): string {
  return SHELL_SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
