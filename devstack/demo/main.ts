/**
 * `npm run demo`: the whole pipeline locally with no cloud account. `--keep` leaves the stack running (Temporal UI
 * included) until Ctrl-C; `--no-ui` starts the dev server headless; `--nexus` offers the Nexus service too; `--help`
 * says so.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { readCommandLine, shutdownSignal } from '../../src/config/process-entry';
import { runDemo } from './demo';
import { exitOnDevStackFailure } from '../temporal-cli';

const DEMO_HELP = [
  'Usage: npm run demo -- [--keep] [--no-ui] [--nexus]',
  '',
  'Starts a Temporal dev server, the CI emulator, the callback receiver and a worker; transcribes a sample file and',
  'a small batch through them; prints what happened; then stops everything. No cloud account needed.',
  '',
  'Options:',
  '  --keep   Keep the stack (and the Temporal UI) running until Ctrl-C',
  '  --no-ui  Start the dev server without its web UI',
  "  --nexus  Also offer the transcription Nexus service: create the callers' namespace asr-callers and the",
  '           endpoint tencent-ci-asr, and print both (docs/nexus.md)',
  '  --help   Show this help',
  '',
].join('\n');

async function main(): Promise<void> {
  const read = readCommandLine(DEMO_HELP, { keep: 'boolean', 'no-ui': 'boolean', nexus: 'boolean' });
  if (!read) return;
  read.throwIfProblems('demo');
  // The demo prints its own story; the SDK's routine INFO lines would drown it.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const interrupted = read.flag('keep') ? shutdownSignal() : undefined;
  await runDemo({
    ui: !read.flag('no-ui'),
    nexus: read.flag('nexus'),
    keepAlive: interrupted && (() => interrupted.then(() => undefined)),
  });
}

main().catch(exitOnDevStackFailure);
