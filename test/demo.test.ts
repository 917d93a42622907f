import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runChild } from './helpers/child';
import { assertTemporalCliRefusal, NO_TEMPORAL_CLI } from './helpers/no-temporal-cli';
import { waitFor } from './helpers/wait';

const DEMO_MAIN = require.resolve('../devstack/demo/main');

describe('npm run demo', () => {
  it('runs the whole pipeline locally, prints results and transcript, and exits 0 after stopping everything', async () => {
    // The same entry point `npm run demo` runs; --no-ui keeps the test's dev server headless.
    const child = spawn(process.execPath, ['--import', 'tsx', DEMO_MAIN, '--no-ui'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TEMPORAL_ADDRESS: '' },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, output);
    assert.match(output, /completed by callback/);
    assert.match(output, /transcript {2}cos:\/\/demo-1250000000\/asr\/samples\/welcome\.wav\.txt/);
    assert.match(output, /manifest {4}cos:\/\/demo-1250000000\/asr\/samples\/welcome\.wav\.txt\.manifest\.json/);
    assert.match(output, /This text comes from the local CI emulator/);
    assert.match(output, /3\/3 succeeded, 0 failed/);
    assert.match(output, /batch manifest cos:\/\/demo-1250000000\/asr\/batches\/.+\.manifest\.json/);
    assert.match(output, /Stopping the local stack/);
  });

  it('without a usable Temporal CLI, says in one line how to install it and how to point to it, exit code 2', async () => {
    for (const { env, cause } of NO_TEMPORAL_CLI) {
      const run = await runChild(process.execPath, ['--import', 'tsx', DEMO_MAIN, '--no-ui'], env);
      assertTemporalCliRefusal(run, cause);
    }
  });

  it('--keep prints the keys, task queue and settings file the CLI needs, and the printed line drives the stack', async () => {
    // --nexus too: the endpoint it prints is in the settings file, so doctor checks it as well.
    const child = spawn(process.execPath, ['--import', 'tsx', DEMO_MAIN, '--no-ui', '--keep', '--nexus'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TEMPORAL_ADDRESS: '' },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let file: string | undefined;
    try {
      await waitFor(
        'the printed settings',
        () => (/^Your own worker or app: .+$/m.test(output) ? true : undefined),
        120_000,
      );
      assert.match(output, /^ {2}Task queue {4}asr-local-[0-9a-f-]{36}$/m);
      assert.match(output, /^ {2}Emulator keys TENCENT_SECRET_ID=AKID\w+ TENCENT_SECRET_KEY=\w+$/m);
      assert.match(output, /^ {2}Nexus +endpoint tencent-ci-asr → default\/asr-local-[0-9a-f-]{36} /m);
      assert.match(output, /^ {2}Callers +namespace asr-callers /m);
      file = /^ {2}Settings file (\S+) /m.exec(output)?.[1];
      assert.ok(file && existsSync(file), output);
      const line = /^ {2}(TRANSCRIBE_ASR_ENV_FILE=\S+ npm run cli -- doctor)$/m.exec(output)?.[1];
      assert.equal(line, `TRANSCRIBE_ASR_ENV_FILE=${file} npm run cli -- doctor`);
      // Run as printed, in the clone, with nothing else in the environment.
      const doctor = await runChild(
        'sh',
        ['-c', line],
        { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
        60_000,
        join(__dirname, '..'),
      );
      assert.equal(doctor.status, 0, doctor.output);
      assert.match(
        doctor.output,
        /^ok {4}Nexus endpoint +Nexus endpoint tencent-ci-asr routes to default\/asr-local-/m,
      );
      assert.match(doctor.output, /9 ok, 0 warning\(s\), 0 failed, 0 skipped\. Ready for a first job\./);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, output);
    assert.ok(!existsSync(file), 'the settings file went with the stack');
  });
});
