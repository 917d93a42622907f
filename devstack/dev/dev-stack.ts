import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { shellQuote } from '../../src/cli/cli-name';
import { ENV_FILE_VARIABLE } from '../../src/cli/env-file';
import { PortInUseError } from '../../src/shared/listen';
import { DEFAULT_TASK_QUEUE } from '../../src/shared/constants';
import type { LocalSecrets } from '../local-services';
import { LOCAL_BUCKET, LOCAL_REGION } from '../local-services';
import { describeNexus } from '../local-nexus';
import type { LocalStack } from '../local-stack';
import { startLocalStack } from '../local-stack';

/** Ports and folder of `npm run dev`; fixed by default so the printed settings stay the same across restarts. */
export interface DevStackOptions {
  /** @default 7233 (the Temporal CLI's and SDKs' default) */
  temporalPort: number;
  /** Temporal Web UI. @default 8233 */
  uiPort: number;
  /** CI emulator. @default 9100 */
  emulatorPort: number;
  /** Callback receiver. @default 8787 */
  receiverPort: number;
  /** Git-ignored folder for the Temporal database, the emulator state and the CLI settings file. @default .dev */
  dir: string;
}

/** The defaults of {@link DevStackOptions}. */
export const DEV_DEFAULTS: DevStackOptions = {
  temporalPort: 7233,
  uiPort: 8233,
  emulatorPort: 9100,
  receiverPort: 8787,
  dir: '.dev',
};

/**
 * Fixed keys of the local emulator. They are printed and written to a file on purpose: they open nothing but the
 * emulator on this machine, and fixed keys keep the settings file valid across restarts.
 */
export const DEV_SECRETS: LocalSecrets = {
  secretId: 'AKIDlocaldevonly0000000000000000',
  secretKey: 'localdevonly-emulator-secret-key',
  callbackSecret: 'localdevonly-callback-secret-0123456789abcdef',
};

/** A running `npm run dev` stack and the settings it printed and wrote. */
export interface DevStack {
  stack: LocalStack;
  /** The stack's settings (`KEY=value`) for the CLI, a worker or a client app, as written to {@link DevStack.envFile}. */
  settings: Record<string, string>;
  envFile: string;
  stop(): Promise<void>;
}

async function assertPortFree(port: number, what: string, flag: string): Promise<void> {
  const free = await new Promise<boolean>((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
  // One line naming the port and the flag that moves it; exitOnStartFailure prints it and exits 2.
  if (!free) throw new PortInUseError(what, '127.0.0.1', port, `--${flag}`);
}

/**
 * What drives the stack: the variables `loadWorkerConfig` reads (so a worker embedded with the plugin, or a client
 * app, started with them gets the emulator and callbacks through the receiver instead of polling), plus what the CLI
 * reads besides. The keys and the callback secret are the fixed local ones ({@link DEV_SECRETS}).
 */
function stackSettings(stack: LocalStack): Record<string, string> {
  const { receiver } = stack.services;
  // The local stack always signs with the emulator's fixed keys, never a rotating credentials file.
  if (!stack.workerEnv.TENCENT_SECRET_ID) throw new Error('the local stack has no fixed emulator keys');
  return {
    ...stack.workerEnv,
    ...(stack.temporal.uiUrl ? { TEMPORAL_UI_URL: stack.temporal.uiUrl } : {}),
    // For `transcribe-asr doctor`: the receiver's private health endpoint.
    ...(receiver ? { RECEIVER_HEALTH_URL: `${receiver.adminUrl}/healthz` } : {}),
  };
}

/** Writes the stack's settings ({@link stackSettings}) to `file`, readable by its owner only, and returns them. */
export function writeStackSettings(stack: LocalStack, file: string): Record<string, string> {
  const settings = stackSettings(stack);
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  const header = [
    '# Written by `npm run dev` or `npm run demo -- --keep`: the local stack. Read by transcribe-asr (flags >',
    `# environment > this file). For your own worker or app: ${sourceCommand(file)}`,
  ];
  writeFileSync(file, `${header.join('\n')}\n${lines.join('\n')}\n`, { mode: 0o600 });
  return settings;
}

/** The line that loads the settings file into a shell, for a worker or app started from it. */
export function sourceCommand(envFile: string): string {
  return `set -a; . ${shellQuote(envFile)}; set +a`;
}

/**
 * Starts the local stack of `npm run dev` on fixed ports: a Temporal dev server with the search attributes and its
 * database in `dir` (so workflows survive a restart), the emulator with its state file in `dir`, the receiver, and a
 * worker on the default task queue that also serves the `transcription` Nexus service, with a callers' namespace and
 * the Nexus endpoint `tencent-ci-asr` targeting the worker; then writes the CLI's settings to `dir/cli.env`, which the
 * CLI reads by itself.
 */
export async function startDevStack(partial: Partial<DevStackOptions> = {}): Promise<DevStack> {
  const options = { ...DEV_DEFAULTS, ...partial };
  const dir = resolve(options.dir);
  await assertPortFree(options.temporalPort, 'Temporal', 'temporal-port');
  await assertPortFree(options.uiPort, 'Temporal UI', 'ui-port');
  await assertPortFree(options.emulatorPort, 'CI emulator', 'emulator-port');
  await assertPortFree(options.receiverPort, 'receiver', 'receiver-port');
  mkdirSync(dir, { recursive: true });
  const stack = await startLocalStack({
    temporal: {
      port: options.temporalPort,
      uiPort: options.uiPort,
      dbFilename: join(dir, 'temporal.db'),
      // Ctrl-C reaches the whole foreground process group; the server must outlive the worker's shutdown.
      ownProcessGroup: true,
    },
    services: {
      secrets: DEV_SECRETS,
      bucket: LOCAL_BUCKET,
      region: LOCAL_REGION,
      receiverPort: options.receiverPort,
      emulator: { port: options.emulatorPort, stateFile: join(dir, 'emulator-state.json') },
    },
    taskQueue: DEFAULT_TASK_QUEUE,
    // Other namespaces call the transcription as a Nexus service through the `tencent-ci-asr` endpoint.
    nexus: true,
  });
  const envFile = join(dir, 'cli.env');
  const settings = writeStackSettings(stack, envFile);
  return { stack, settings, envFile, stop: () => stack.stop() };
}

/** The block `npm run dev` prints: every setting, where it is written, and what to run next. */
export function describeDevStack(dev: DevStack): string {
  const s = dev.settings;
  const receiver = dev.stack.services.receiver?.url ?? 'off';
  return [
    'Local stack running (Ctrl-C stops it; state is kept in the .dev folder across restarts):',
    `  Temporal      ${s.TEMPORAL_ADDRESS}  namespace ${s.TEMPORAL_NAMESPACE}`,
    `  Temporal UI   ${s.TEMPORAL_UI_URL}`,
    `  Task queue    ${s.TEMPORAL_TASK_QUEUE}  (worker running)`,
    `  CI emulator   ${s.CI_ENDPOINT}  bucket ${s.CI_BUCKET} (${s.CI_REGION})`,
    `  Emulator keys TENCENT_SECRET_ID=${s.TENCENT_SECRET_ID} TENCENT_SECRET_KEY=${s.TENCENT_SECRET_KEY}`,
    `  Receiver      ${receiver}  (callbacks: CALLBACK_PUBLIC_BASE_URL, CALLBACK_SECRET in the settings file)`,
    ...(dev.stack.nexus ? describeNexus(dev.stack.nexus) : []),
    `  Settings file ${dev.envFile}  (the CLI reads it in this folder; elsewhere: ${ENV_FILE_VARIABLE}=<file>)`,
    '',
    'Your own worker (with TencentCiAsrPlugin) or client app, from its shell:',
    `  ${sourceCommand(dev.envFile)}`,
    '',
    'In another terminal, in this folder (`npx transcribe-asr` where the package is installed):',
    '  npm run cli -- doctor',
    '  npm run cli -- upload ./my.wav',
    '  npm run cli -- transcribe my.wav --wait --format text',
    '',
  ].join('\n');
}
