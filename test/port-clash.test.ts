import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(__dirname, '..');

/** Only what node needs, and no Temporal config file: each case adds the settings its process requires. */
const BASE_ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  TEMPORAL_CONFIG_FILE: '/nonexistent.toml',
};

const WORKER_ENV = {
  TENCENT_SECRET_ID: 'AKIDportclash',
  TENCENT_SECRET_KEY: 'port-clash-secret-key',
  CI_BUCKET: 'port-clash-1250000000',
  CI_REGION: 'ap-guangzhou',
  // Nothing listens here: the worker must fail on its metrics port before it ever connects.
  TEMPORAL_ADDRESS: '127.0.0.1:1',
};

const RECEIVER_ENV = {
  CALLBACK_SECRET: 'port-clash-callback-secret-0123456789',
  // Unreachable on purpose: the receiver starts without Temporal (callbacks get 503 until it is up).
  TEMPORAL_ADDRESS: '127.0.0.1:1',
};

async function run(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...BASE_ENV, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

describe('a listener whose port is taken', { concurrency: true }, () => {
  // One port held for the whole suite, by a plain TCP server, as another process would hold it.
  const holder: Server = createServer();
  let taken = 0;
  const dir = mkdtempSync(join(tmpdir(), 'port-clash-'));
  before(async () => {
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    taken = (holder.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise((resolve) => holder.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: Array<{
    name: string;
    script: string;
    args: () => string[];
    env: () => Record<string, string>;
    setting: RegExp;
  }> = [
    {
      name: 'receiver admin port (main port free)',
      script: 'src/receiver/main.ts',
      args: () => ['--port', '0'],
      env: () => ({ ...RECEIVER_ENV, RECEIVER_ADMIN_PORT: String(taken) }),
      setting: /RECEIVER_ADMIN_PORT/,
    },
    {
      name: 'receiver callback port',
      script: 'src/receiver/main.ts',
      args: () => ['--port', String(taken)],
      env: () => ({ ...RECEIVER_ENV, RECEIVER_ADMIN_PORT: '0' }),
      setting: /--port or RECEIVER_PORT/,
    },
    {
      name: 'emulator',
      script: 'src/emulator/main.ts',
      args: () => ['--port', String(taken), '--secret-id', 'AKIDportclash', '--secret-key', 'port-clash-key'],
      env: () => ({}),
      setting: /--port or EMULATOR_PORT/,
    },
    {
      name: 'worker metrics endpoint',
      script: 'src/worker.ts',
      args: () => [],
      env: () => ({ ...WORKER_ENV, WORKER_METRICS_BIND_ADDRESS: `127.0.0.1:${taken}` }),
      setting: /WORKER_METRICS_BIND_ADDRESS/,
    },
    {
      name: 'npm run dev (its emulator port)',
      script: 'devstack/dev/main.ts',
      args: () => ['--emulator-port', String(taken), '--dir', join(dir, 'dev')],
      env: () => ({}),
      setting: /--emulator-port/,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: one line naming the port and what to do, no stack trace, exit 2`, async () => {
      const { code, stdout, stderr } = await run(c.script, c.args(), c.env());
      const output = stdout + stderr;
      assert.equal(code, 2, output);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, `one line:\n${stderr}`);
      assert.match(lines[0]!, new RegExp(`port ${taken}\\b.* is in use`));
      assert.match(lines[0]!, c.setting);
      assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
      assert.doesNotMatch(output, /EADDRINUSE|os error/, 'no raw system error');
    });
  }
});
