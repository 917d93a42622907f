/**
 * Runs every test file with Node's test runner against one shared Temporal dev server, started here unless
 * TEMPORAL_ADDRESS already names a server. Usage: `tsx scripts/run-tests.ts [file-or-folder ...]`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findTemporalCli } from '../devstack/temporal-cli';
import type { TemporalDevServer } from '../devstack/temporal-dev-server';
import { startTemporalDevServer } from '../devstack/temporal-dev-server';

function testFiles(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .flatMap((name) => testFiles(join(path, name)))
    .filter((file) => file.endsWith('.test.ts'))
    .sort();
}

async function main(): Promise<void> {
  const targets = process.argv.slice(2);
  const files = (targets.length ? targets : ['test']).flatMap(testFiles);
  let server: TemporalDevServer | undefined;
  const env = { ...process.env };
  if (!env.TEMPORAL_ADDRESS) {
    const cli = findTemporalCli();
    if (cli) {
      server = await startTemporalDevServer({ executable: cli });
      env.TEMPORAL_ADDRESS = server.address;
      env.TEMPORAL_NAMESPACE = server.namespace;
      console.log(`Temporal dev server ${server.address} (${cli})`);
    }
  }
  const concurrency = env.TEST_CONCURRENCY ?? '3';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
    { stdio: 'inherit', env },
  );
  const code = await new Promise<number>((resolve) =>
    child.once('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))),
  );
  await server?.stop();
  process.exitCode = code;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
