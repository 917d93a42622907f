/**
 * Runs the CI ASR emulator until SIGINT/SIGTERM: `npm run emulator -- --port 9100 --secret-id <id> --secret-key <key>`;
 * `--help` lists every flag and the environment variable each falls back to.
 */
import { closeOnShutdownSignal, exitOnStartFailure, helpRequested } from '../config/process-entry';
import { EMULATOR_HELP, loadEmulatorConfig } from './config';
import { PortInUseError } from '../shared/listen';
import { startEmulator } from './emulator';

const log = {
  info: (message: string, fields: object) => console.log(message, fields),
  error: (message: string, fields: object) => console.error(message, fields),
};

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (helpRequested(argv)) return void process.stdout.write(EMULATOR_HELP);
  const emulator = await startEmulator(loadEmulatorConfig(process.env, argv));
  closeOnShutdownSignal(() => emulator.close(), log);
  console.log(`CI ASR emulator listening on ${emulator.url}`);
  console.log(`Admin API: ${emulator.url}/_emulator/counters`);
}

main().catch((err: unknown) =>
  exitOnStartFailure(err instanceof PortInUseError ? err.withSetting('--port or EMULATOR_PORT') : err),
);
