import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { parseSrt } from '../src/ci/result';
import { findFreePort } from '../devstack/free-port';
import { sampleWav } from '../devstack/sample-media';
import { runChild } from './helpers/child';
import { assertTemporalCliRefusal, NO_TEMPORAL_CLI } from './helpers/no-temporal-cli';
import { waitFor } from './helpers/wait';

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

/** Not a timing goal: how long a stack that neither gets ready nor exits is waited for before the test gives up. */
const STACK_HANG_MS = 10 * 60_000;

/** A running `npm run dev` and everything it printed so far. */
interface DevProcess {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  exited: Promise<number | null>;
}

describe('npm run dev, driven by the CLI from another process', () => {
  const folder = mkdtempSync(join(tmpdir(), 'dev-stack-'));
  const running: DevProcess[] = [];
  let ports: string[] = [];

  after(async () => {
    // A stack left running by a failed test: Ctrl-C first (the dev server runs in a process group of its own, which
    // only a graceful stop ends), SIGKILL if that does not stop it.
    for (const dev of running) {
      if (dev.child.exitCode !== null || dev.child.signalCode !== null) continue;
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-dev.child.pid!, name);
        } catch {
          // Already gone.
        }
      };
      signal('SIGINT');
      const stopped = await Promise.race([dev.exited.then(() => true), sleep(30_000).then(() => false)]);
      if (!stopped) signal('SIGKILL');
    }
    rmSync(folder, { recursive: true, force: true });
  });

  /** Starts `npm run dev` as a person does (its own process group, so Ctrl-C can be sent to all of it). */
  async function startDev(): Promise<DevProcess> {
    const child = spawn('npm', ['run', 'dev', '--', ...ports, '--dir', join(folder, '.dev')], {
      cwd: ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? folder },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const dev = { child, output: () => output, exited: new Promise<number | null>((r) => child.once('close', r)) };
    running.push(dev);
    let exitCode: number | null | undefined;
    void dev.exited.then((code) => (exitCode = code));
    // Ready is read from the stack itself (its printed settings), or its exit; the bound only catches a hang (a start
    // with a persisted database on a loaded machine can take minutes), and then fails with what it printed.
    await waitFor(
      'the printed settings',
      () => {
        if (/In another terminal[\s\S]*--format text\n/.test(output)) return true;
        if (exitCode !== undefined) assert.fail(`npm run dev exited (${exitCode}) before it was ready:\n${output}`);
        return undefined;
      },
      STACK_HANG_MS,
    ).catch((err: Error) => {
      if (exitCode !== undefined) throw err;
      throw new Error(`${err.message}\n--- npm run dev printed:\n${output}`, { cause: err });
    });
    return dev;
  }

  /** Ctrl-C in the terminal: SIGINT to the whole process group. */
  async function interrupt(dev: DevProcess): Promise<void> {
    process.kill(-dev.child.pid!, 'SIGINT');
    await dev.exited;
    assert.match(dev.output(), /Stopping the local stack…\nStopped\.\n/);
  }

  /** The CLI in the user's folder with nothing in its environment but PATH: its settings come from .dev/cli.env. */
  function cliSplit(
    args: string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number | null; out: string; err: string }> {
    const child = spawn(TSX, [MAIN, ...args], { cwd: folder, env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
  }

  it('starts, prints fixed settings, and the CLI uploads and transcribes through it; it survives a restart', async () => {
    const [temporal, ui, emulator, receiver] = await Promise.all([1, 2, 3, 4].map(() => findFreePort()));
    ports = ['--temporal-port', `${temporal}`, '--ui-port', `${ui}`, '--emulator-port', `${emulator}`];
    ports.push('--receiver-port', `${receiver}`);
    const first = await startDev();
    const printed = first.output();
    assert.match(printed, new RegExp(`^  Temporal +127\\.0\\.0\\.1:${temporal} +namespace default$`, 'm'));
    assert.match(printed, new RegExp(`^  Temporal UI +http://127\\.0\\.0\\.1:${ui}$`, 'm'));
    assert.match(printed, /^ {2}Task queue +tencent-ci-asr +\(worker running\)$/m);
    assert.match(
      printed,
      new RegExp(`^  CI emulator +http://127\\.0\\.0\\.1:${emulator} +bucket demo-1250000000 \\(ap-guangzhou\\)$`, 'm'),
    );
    assert.match(printed, /^ {2}Emulator keys TENCENT_SECRET_ID=AKID\w+ TENCENT_SECRET_KEY=\S+$/m);
    assert.match(printed, /^ {2}Nexus +endpoint tencent-ci-asr → default\/tencent-ci-asr \(service transcription: /m);
    assert.match(printed, /^ {2}Callers +namespace asr-callers /m);
    const envFile = join(folder, '.dev', 'cli.env');
    assert.match(readFileSync(envFile, 'utf8'), new RegExp(`^TEMPORAL_ADDRESS=127\\.0\\.0\\.1:${temporal}$`, 'm'));

    const doctor = await cliSplit(['doctor']);
    assert.equal(doctor.code, 0, doctor.out + doctor.err);
    assert.match(
      doctor.out,
      new RegExp(
        `^ok {4}callbacks +callback URL http://127\\.0\\.0\\.1:${receiver}; receiver healthy \\(http://127\\.0\\.0\\.1:\\d+/healthz\\)$`,
        'm',
      ),
    );
    assert.match(
      doctor.out,
      /^ok {4}Nexus endpoint +Nexus endpoint tencent-ci-asr routes to default\/tencent-ci-asr$/m,
    );
    assert.match(doctor.out, /9 ok, 0 warning\(s\), 0 failed, 0 skipped\. Ready for a first job\.\n$/);

    writeFileSync(join(folder, 'my.wav'), sampleWav(3));
    const upload = await cliSplit(['upload', './my.wav']);
    assert.equal(upload.code, 0, upload.err);
    assert.match(
      upload.out,
      /^Uploaded +cos:\/\/demo-1250000000\/my\.wav\nSize +\d+ bytes\nContent type +audio\/wav\n$/,
    );
    assert.match(upload.err, /^Next: npm run cli -- transcribe my\.wav --wait$/m);

    const workflowId = `dev-${Date.now()}`;
    const srt = await cliSplit(['transcribe', 'my.wav', '--wait', '--format', 'srt', '--workflow-id', workflowId]);
    assert.equal(srt.code, 0, srt.err);
    const cues = parseSrt(srt.out);
    assert.ok(cues.length >= 1);
    assert.match(cues[0]!.text, /emulated transcript/);
    assert.match(srt.err, /^Transcript +cos:\/\/demo-1250000000\/asr\/my\.wav\.txt$/m);

    // A worker of one's own, started from the printed line alone, gets the callbacks instead of polling.
    const source = /^Your own worker .*:\n {2}(set -a; \. .+; set \+a)$/m.exec(printed)?.[1];
    assert.equal(source, `set -a; . ${envFile}; set +a`);
    const ownQueue = `own-worker-${Date.now()}`;
    const worker = spawn('sh', ['-c', `${source}; TEMPORAL_TASK_QUEUE=${ownQueue} exec ${TSX} src/worker.ts`], {
      cwd: ROOT,
      detached: true,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? folder },
    });
    let workerLog = '';
    worker.stdout.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (workerLog += chunk.toString()));
    const workerExited = new Promise((resolve) => worker.once('close', resolve));
    try {
      const own = await cliSplit(['transcribe', 'my.wav', '--wait'], { TEMPORAL_TASK_QUEUE: ownQueue });
      assert.equal(own.code, 0, `${own.err}\n--- worker:\n${workerLog}`);
      assert.match(own.out, /^Completed by +callback$/m, "the own worker handed CI the receiver's callback URL");
    } finally {
      process.kill(-worker.pid!, 'SIGTERM');
      await workerExited;
    }

    await interrupt(first);
    assert.ok(existsSync(join(folder, '.dev', 'temporal.db')));

    const second = await startDev();
    const status = await cliSplit(['status', workflowId, '--json']);
    assert.equal(status.code, 0, status.err);
    const report = JSON.parse(status.out) as { status: string; result: { resultObject: { uri: string } } };
    assert.equal(report.status, 'COMPLETED', 'the workflow survived the restart');
    assert.equal(report.result.resultObject.uri, 'cos://demo-1250000000/asr/my.wav.txt');
    const again = await cliSplit(['transcribe', 'my.wav', '--format', 'text']);
    assert.equal(again.code, 0, `the uploaded object survived the restart: ${again.err}`);
    assert.match(again.out, /emulated transcript/);
    await interrupt(second);
  });

  it('without a usable Temporal CLI, says in one line how to install it and how to point to it, exit code 2', async () => {
    const free = await Promise.all([1, 2, 3, 4].map(() => findFreePort()));
    const flags = ['--temporal-port', '--ui-port', '--emulator-port', '--receiver-port'].flatMap((f, i) => [
      f,
      `${free[i]}`,
    ]);
    for (const { env, cause } of NO_TEMPORAL_CLI) {
      const dir = join(folder, `no-cli-${free[0]}`);
      // The command `npm run dev` runs, without npm: one case's PATH holds only node's folder, and the Node.js binaries
      // CI tests other lines with (scripts/with-node.sh) come without npm.
      const run = await runChild(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'devstack', 'dev', 'main.ts'), ...flags, '--dir', dir],
        { ...env, HOME: folder },
        60_000,
        ROOT,
      );
      assertTemporalCliRefusal(run, cause);
    }
  });
});
