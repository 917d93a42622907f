import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..');

/** The process entries as `npm start`, `npm run receiver|emulator|cli|demo|dev` run them, with a bad configuration each. */
const ENTRIES = [
  { name: 'worker', script: 'src/worker.ts', bad: [], what: 'worker', problem: /TENCENT_SECRET_ID is required/ },
  { name: 'receiver', script: 'src/receiver/main.ts', bad: ['--port', 'x'], what: 'receiver', problem: /--port must/ },
  {
    name: 'emulator',
    script: 'src/emulator/main.ts',
    bad: ['--queued-ms', 'soon'],
    what: 'emulator',
    problem: /--secret-id/,
  },
  {
    name: 'cli',
    script: 'src/cli/main.ts',
    bad: ['jobs', 'list'],
    what: 'Tencent Cloud',
    problem: /CI_BUCKET is required/,
  },
  { name: 'demo', script: 'devstack/demo/main.ts', bad: ['--bogus'], what: 'demo', problem: /--bogus/ },
  { name: 'dev', script: 'devstack/dev/main.ts', bad: ['--ui-port', 'x'], what: 'dev', problem: /--ui-port/ },
] as const;

/**
 * Only what node needs: no Tencent, callback or emulator variables, and no Temporal config file, so every entry's
 * configuration is missing its required settings.
 */
const EMPTY_ENV = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  TEMPORAL_CONFIG_FILE: '/nonexistent.toml',
};

async function run(
  script: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    env: EMPTY_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

describe('process entries', { concurrency: true }, () => {
  for (const entry of ENTRIES) {
    it(`${entry.name}: --help prints usage on stdout and exits 0, before reading any configuration`, async () => {
      const { code, stdout, stderr } = await run(entry.script, ['--help']);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^Usage: /);
      assert.equal(stderr, '');
    });

    it(`${entry.name}: a bad configuration prints one list of problems, no stack trace, and exits 2`, async () => {
      const { code, stdout, stderr } = await run(entry.script, entry.bad);
      assert.equal(code, 2, stderr);
      const output = stdout + stderr;
      assert.equal(output.split(`Invalid ${entry.what} configuration:`).length, 2, `one list:\n${output}`);
      assert.match(output, entry.problem);
      const problems = output.split('\n').filter((line) => line.startsWith('  - '));
      assert.ok(problems.length > 0, output);
      assert.equal(new Set(problems).size, problems.length, `each problem once:\n${output}`);
      assert.doesNotMatch(output, /^\s+at /m, 'no stack trace');
    });
  }
});
