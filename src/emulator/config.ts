import type { Env } from '../config/reader';
import { ConfigReader } from '../config/reader';
import type { EmulatorOptions } from './options';
import { parseVariants, VARIANT_SETS, VARIANT_VALUES, VariantError } from './variants';

/** Each flag of the emulator process and the environment variable it falls back to. */
const SETTINGS = {
  port: 'EMULATOR_PORT',
  host: 'EMULATOR_HOST',
  'secret-id': 'EMULATOR_SECRET_ID',
  'secret-key': 'EMULATOR_SECRET_KEY',
  bucket: 'EMULATOR_BUCKET',
  region: 'EMULATOR_REGION',
  'state-file': 'EMULATOR_STATE_FILE',
  'queued-ms': 'EMULATOR_QUEUED_MS',
  'running-ms': 'EMULATOR_RUNNING_MS',
  'clock-skew-seconds': 'EMULATOR_CLOCK_SKEW_SECONDS',
  'queue-concurrency': 'EMULATOR_QUEUE_CONCURRENCY',
  'api-rate-limit': 'EMULATOR_API_RATE_LIMIT',
  variant: 'EMULATOR_VARIANT',
} as const;

/** A day: longer job phases are a typo, and would hold a test or a demo forever. */
const MAX_PHASE_MS = 86_400_000;

/** Reads the emulator process's options from flags and the environment, reporting every problem in one `ConfigError`. */
export function loadEmulatorConfig(env: Env, argv: readonly string[]): EmulatorOptions {
  const flagTypes = Object.fromEntries(Object.keys(SETTINGS).map((flag) => [flag, 'string' as const]));
  const read = new ConfigReader(env, argv, flagTypes);
  const setting = (flag: keyof typeof SETTINGS) => ({ flag, env: SETTINGS[flag] });
  const config: EmulatorOptions = {
    port: read.integer(setting('port'), 9100, 0, 65535),
    host: read.optional(setting('host')) ?? '127.0.0.1',
    credentials: {
      secretId: read.required(setting('secret-id'), 'SecretId clients sign with'),
      secretKey: read.required(setting('secret-key'), 'SecretKey clients sign with'),
    },
    defaultBucket: read.optional(setting('bucket')),
    defaultRegion: read.optional(setting('region')),
    stateFile: read.optional(setting('state-file')),
    clockSkewSeconds: read.integer(setting('clock-skew-seconds'), undefined, 0, 86_400),
    timings: {
      queuedMs: read.integer(setting('queued-ms'), undefined, 0, MAX_PHASE_MS),
      runningMs: read.integer(setting('running-ms'), undefined, 0, MAX_PHASE_MS),
    },
    queueConcurrency: read.integer(setting('queue-concurrency'), undefined, 1, 10_000),
  };
  const rate = read.integer(setting('api-rate-limit'), undefined, 1, 1_000_000);
  if (rate !== undefined) config.apiRateLimit = { requestsPerSecond: rate };
  const variant = read.optional(setting('variant'));
  if (variant !== undefined) {
    try {
      config.variants = parseVariants([variant]);
    } catch (err) {
      if (!(err instanceof VariantError)) throw err;
      read.problems.push(`--variant / EMULATOR_VARIANT: ${err.message}`);
    }
  }
  read.throwIfProblems('emulator');
  return config;
}

/** `--help` of the emulator process. */
export const EMULATOR_HELP = [
  'Usage: npm run emulator -- --secret-id <id> --secret-key <key> [options]',
  '',
  'Serves the CI ASR API and the COS subset it needs, locally, until SIGINT/SIGTERM (docs/emulator.md).',
  'Every flag falls back to the environment variable beside it.',
  '',
  'Options:',
  '  --secret-id <id>     EMULATOR_SECRET_ID   SecretId requests must be signed with (required)',
  '  --secret-key <key>   EMULATOR_SECRET_KEY  SecretKey requests must be signed with (required)',
  '  --port <n>           EMULATOR_PORT        0-65535 (default 9100)',
  '  --host <addr>        EMULATOR_HOST        Interface (default 127.0.0.1; the admin API has no authentication)',
  '  --bucket <b-appid>   EMULATOR_BUCKET      Bucket for non-virtual-host requests (default emulator-1250000000)',
  '  --region <region>    EMULATOR_REGION      Its region (default ap-guangzhou)',
  '  --state-file <path>  EMULATOR_STATE_FILE  Persist jobs and objects here (default: memory only)',
  '  --queued-ms <n>      EMULATOR_QUEUED_MS   Time a job stays Submitted (default 200)',
  '  --running-ms <n>     EMULATOR_RUNNING_MS  Time a job stays Running (default 500)',
  '  --clock-skew-seconds <n>  EMULATOR_CLOCK_SKEW_SECONDS  Signature clock skew allowed, 0-86400 (default 900)',
  '  --queue-concurrency <n> EMULATOR_QUEUE_CONCURRENCY  Jobs Running at once per queue, MaxConcurrent (default 10)',
  '  --api-rate-limit <n>  EMULATOR_API_RATE_LIMIT  CI API requests/s before 503 SlowDown (default: no limit)',
  '  --variant <list>     EMULATOR_VARIANT     How to answer where no source settles CI (docs/emulator.md,',
  '                       "Variants"): a set name or name=value pairs, comma-separated, e.g. authStatus=403',
  `                       Sets: ${Object.keys(VARIANT_SETS).join(', ')}. Names: ${Object.keys(VARIANT_VALUES).join(', ')}`,
  '  --help                                    Show this help',
  '',
  'Exit codes: 0 stopped by a signal, 1 failure, 2 configuration error.',
  '',
].join('\n');
