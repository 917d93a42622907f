/**
 * `npm run dev` (run by `node --import tsx`, not the `tsx` launcher: under load its signal relay kills a child that
 * takes more than a few ms to acknowledge Ctrl-C, and stopping the stack takes longer): the local stack on fixed ports, for driving with the CLI from another terminal, until Ctrl-C.
 * See {@link startDevStack} and the README's "Your own files, locally".
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { readCommandLine, shutdownSignal } from '../../src/config/process-entry';
import { DEV_DEFAULTS, describeDevStack, startDevStack } from './dev-stack';
import { exitOnDevStackFailure } from '../temporal-cli';

const DEV_HELP = [
  'Usage: npm run dev -- [options]',
  '',
  'Starts a Temporal dev server (with the search attributes), the CI emulator, the callback receiver and a worker on',
  'fixed ports; prints their settings and writes them to .dev/cli.env, which transcribe-asr reads by itself; runs',
  'until Ctrl-C. Workflows (.dev/temporal.db) and emulated objects and jobs (.dev/emulator-state.json) survive a restart.',
  'The worker also serves the transcription Nexus service: a second namespace, asr-callers, and the Nexus endpoint',
  'tencent-ci-asr (targeting the worker) are created for caller workflows (docs/nexus.md).',
  '',
  'Options:',
  `  --temporal-port <n>  Temporal frontend (default ${DEV_DEFAULTS.temporalPort})`,
  `  --ui-port <n>        Temporal Web UI (default ${DEV_DEFAULTS.uiPort})`,
  `  --emulator-port <n>  CI emulator (default ${DEV_DEFAULTS.emulatorPort})`,
  `  --receiver-port <n>  Callback receiver (default ${DEV_DEFAULTS.receiverPort})`,
  `  --dir <path>         State and settings folder (default ${DEV_DEFAULTS.dir})`,
  '  --help               Show this help',
  '',
  'Exit codes: 0 stopped by Ctrl-C, 1 failure, 2 bad option or a port in use.',
  '',
].join('\n');

async function main(): Promise<void> {
  const read = readCommandLine(DEV_HELP, {
    'temporal-port': 'string',
    'ui-port': 'string',
    'emulator-port': 'string',
    'receiver-port': 'string',
    dir: 'string',
  });
  if (!read) return;
  const port = (flag: string, fallback: number) => read.integer({ flag }, fallback, 1, 65535);
  const options = {
    temporalPort: port('temporal-port', DEV_DEFAULTS.temporalPort),
    uiPort: port('ui-port', DEV_DEFAULTS.uiPort),
    emulatorPort: port('emulator-port', DEV_DEFAULTS.emulatorPort),
    receiverPort: port('receiver-port', DEV_DEFAULTS.receiverPort),
    dir: read.optional({ flag: 'dir' }) ?? DEV_DEFAULTS.dir,
  };
  read.throwIfProblems('dev');
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const stopped = shutdownSignal();
  process.stdout.write('Starting the local stack: Temporal dev server, CI emulator, callback receiver, worker…\n');
  const dev = await startDevStack(options);
  process.stdout.write(describeDevStack(dev));
  await stopped;
  process.stdout.write('Stopping the local stack…\n');
  await dev.stop();
  process.stdout.write('Stopped.\n');
}

main().catch(exitOnDevStackFailure);
