import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from '../devstack/temporal-cli';
import { startTemporalDevServer } from '../devstack/temporal-dev-server';

const cli = findTemporalCli();

describe('startTemporalDevServer', { skip: cli === undefined && 'no temporal CLI' }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'dev-server-'));
  after(() => rmSync(folder, { recursive: true, force: true }));

  /** A `temporal` stand-in that fails its first `failures` starts with `output`, then runs the real CLI. */
  function flakyCli(name: string, failures: number, output: string): { path: string; starts: () => number } {
    const count = join(folder, `${name}.count`);
    writeFileSync(count, '');
    const path = join(folder, name);
    writeFileSync(
      path,
      [
        '#!/usr/bin/env bash',
        `echo start >> '${count}'`,
        `if [ "$(wc -l < '${count}')" -le ${failures} ]; then printf '%s\\n' '${output}' >&2; exit 2; fi`,
        `exec '${cli}' "$@"`,
      ].join('\n'),
    );
    chmodSync(path, 0o755);
    return { path, starts: () => readFileSync(count, 'utf8').split('\n').filter(Boolean).length };
  }

  it('starts again when the server panics while wiring its services, and says why when it keeps doing so', async () => {
    const panic = 'panic: listen tcp 127.0.0.1:41000: bind: address already in use\n\ngoroutine 1 [running]:';
    const once = flakyCli('panics-once', 1, panic);
    const server = await startTemporalDevServer({ executable: once.path });
    try {
      const connection = await Connection.connect({ address: server.address });
      await connection.healthService.check({});
      await connection.close();
    } finally {
      await server.stop();
    }
    assert.equal(once.starts(), 2);

    const always = flakyCli('panics-always', 99, panic);
    await assert.rejects(startTemporalDevServer({ executable: always.path }), (err: Error) => {
      assert.match(
        err.message,
        /did not become healthy: the process exited\npanic: listen tcp .* address already in use/,
      );
      return true;
    });
    assert.equal(always.starts(), 3, 'three starts in all');
  });

  it('does not retry a refusal of its own settings', async () => {
    const refused = flakyCli('refuses', 99, 'Error: invalid argument "x" for "--port" flag');
    await assert.rejects(startTemporalDevServer({ executable: refused.path }), /Error: invalid argument/);
    assert.equal(refused.starts(), 1);
  });
});
