/**
 * deploy/temporal/create-namespace.sh (the compose stack's `temporal-namespace` step) against the dev server, with
 * the `temporal` CLI the admin-tools image also ships: it creates the namespace and registers the project's search
 * attributes, retries the calls that fail transiently, and is safe to run again. The transient failures come from a
 * wrapper first on PATH that makes the first `namespace create` and each attribute's first `search-attribute
 * create` fail, then hands every call to the real CLI; the server's own state is then checked through the client.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findTemporalCli } from '../devstack/temporal-cli';
import { PROJECT_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import type { ChildResult } from './helpers/child';
import { runChild } from './helpers/child';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';

const SCRIPT = join(__dirname, '..', 'deploy', 'temporal', 'create-namespace.sh');
const cliType = (t: string): string => t.toLowerCase().replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());
const SEARCH_ATTRIBUTES = PROJECT_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${cliType(k.type)}`).join(' ');

describe('create-namespace.sh', () => {
  let temporal: TemporalTestServer;
  let dir: string;
  const namespace = `setup-${randomUUID()}`;

  before(async () => {
    temporal = await startTemporalForTests();
    const cli = findTemporalCli();
    assert.ok(cli, 'the temporal CLI is installed');
    dir = mkdtempSync(join(tmpdir(), 'ns-setup-'));
    // Fails the first call of each create (per attribute name), logging every call; all others reach the real CLI.
    writeFileSync(
      join(dir, 'temporal'),
      [
        '#!/bin/sh',
        `echo "$*" >> "${dir}/calls.log"`,
        'case "$*" in',
        '  *"namespace create"*|*"search-attribute create"*)',
        `    mark="${dir}/failed-$(printf '%s' "$*" | cksum | cut -d' ' -f1)"`,
        '    if [ ! -e "$mark" ]; then touch "$mark"; echo "Unavailable: injected" >&2; exit 1; fi ;;',
        'esac',
        `exec "${cli}" "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(join(dir, 'temporal'), 0o755);
  });

  after(async () => {
    await temporal?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function setup(): Promise<ChildResult> {
    const env = {
      PATH: `${dir}:${process.env.PATH ?? ''}`,
      HOME: process.env.HOME ?? '',
      TEMPORAL_ADDRESS: temporal.env.address,
      NAMESPACE: namespace,
      NAMESPACE_RETENTION: '24h',
      SEARCH_ATTRIBUTES,
    };
    return await runChild('sh', [SCRIPT], env, 120_000);
  }

  it('creates the namespace and its search attributes, retrying the failed calls', async () => {
    const result = await setup();
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, new RegExp(`create namespace ${namespace}: attempt 1 failed`));
    for (const { name } of PROJECT_SEARCH_ATTRIBUTES) {
      assert.match(result.output, new RegExp(`register search attribute ${name}: attempt 1 failed`));
    }
    const { namespaceInfo, config } = await temporal.env.client.workflowService.describeNamespace({ namespace });
    assert.equal(namespaceInfo?.name, namespace);
    assert.equal(Number(config?.workflowExecutionRetentionTtl?.seconds), 24 * 3600);
    const { customAttributes } = await temporal.env.connection.operatorService.listSearchAttributes({ namespace });
    for (const { name } of PROJECT_SEARCH_ATTRIBUTES) assert.ok(customAttributes?.[name], `${name} registered`);
  });

  it('leaves an existing namespace and attributes alone when run again', async () => {
    const creates = (): number =>
      readFileSync(join(dir, 'calls.log'), 'utf8')
        .split('\n')
        .filter((l) => / create /.test(l)).length;
    const before = creates();
    const result = await setup();
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, new RegExp(`Namespace ${namespace} exists`));
    assert.equal(creates(), before, 'no create was attempted');
  });

  it('is valid POSIX sh', () => {
    const result = spawnSync('sh', ['-n', SCRIPT], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });
});
