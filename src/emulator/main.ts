/**
 * Runs the CI ASR emulator until SIGINT/SIGTERM:
 * `npm run emulator -- --port 9100 --secret-id <id> --secret-key <key> [--bucket b-125] [--region ap-guangzhou]
 * [--state-file f] [--queued-ms n] [--running-ms n] [--host 127.0.0.1]`. Each flag falls back to an environment
 * variable: EMULATOR_PORT, EMULATOR_SECRET_ID, EMULATOR_SECRET_KEY, EMULATOR_BUCKET, EMULATOR_REGION,
 * EMULATOR_STATE_FILE, EMULATOR_QUEUED_MS, EMULATOR_RUNNING_MS, EMULATOR_HOST.
 */
import { parseArgs } from 'node:util';
import type { EmulatorOptions } from './index';
import { startEmulator } from './index';

/** Thrown when the command line and environment do not give a usable configuration. */
class EmulatorConfigError extends Error {
  override name = 'EmulatorConfigError';
}

const FLAGS = {
  port: 'EMULATOR_PORT',
  host: 'EMULATOR_HOST',
  'secret-id': 'EMULATOR_SECRET_ID',
  'secret-key': 'EMULATOR_SECRET_KEY',
  bucket: 'EMULATOR_BUCKET',
  region: 'EMULATOR_REGION',
  'state-file': 'EMULATOR_STATE_FILE',
  'queued-ms': 'EMULATOR_QUEUED_MS',
  'running-ms': 'EMULATOR_RUNNING_MS',
} as const;

function wholeNumber(name: string, value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) problems.push(`--${name} must be a whole number; got "${value}"`);
  return Number(value);
}

function loadConfig(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions {
  const options = Object.fromEntries(Object.keys(FLAGS).map((name) => [name, { type: 'string' as const }]));
  const { values } = parseArgs({ args: argv, options, strict: true });
  const get = (name: keyof typeof FLAGS): string | undefined => values[name] ?? env[FLAGS[name]];
  const problems: string[] = [];
  const secretId = get('secret-id');
  const secretKey = get('secret-key');
  if (!secretId) problems.push('--secret-id (or EMULATOR_SECRET_ID) is required');
  if (!secretKey) problems.push('--secret-key (or EMULATOR_SECRET_KEY) is required');
  const config: EmulatorOptions = {
    port: wholeNumber('port', get('port'), problems) ?? 9100,
    host: get('host') ?? '127.0.0.1',
    credentials: { secretId: secretId ?? '', secretKey: secretKey ?? '' },
    defaultBucket: get('bucket'),
    defaultRegion: get('region'),
    stateFile: get('state-file'),
    timings: {
      queuedMs: wholeNumber('queued-ms', get('queued-ms'), problems),
      runningMs: wholeNumber('running-ms', get('running-ms'), problems),
    },
  };
  if (problems.length > 0) throw new EmulatorConfigError(`Invalid emulator configuration: ${problems.join('; ')}`);
  return config;
}

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env);
  const emulator = await startEmulator(config);
  console.log(`CI ASR emulator listening on ${emulator.url}`);
  console.log(`Admin API: ${emulator.url}/_emulator/counters`);
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
