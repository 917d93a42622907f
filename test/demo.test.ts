import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';

describe('npm run demo', () => {
  it('runs the whole pipeline locally, prints results and transcript, and exits 0 after stopping everything', async () => {
    // The same entry point `npm run demo` runs; --no-ui keeps the test's dev server headless.
    const child = spawn(process.execPath, ['--import', 'tsx', require.resolve('../devstack/demo/main'), '--no-ui'], {
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
});
