import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type * as MainEntry from '../src/index';
import type * as CiEntry from '../src/ci/index';
import type * as ClientEntry from '../src/client/index';
import type * as EmulatorEntry from '../src/emulator/index';
import type * as ReceiverEntry from '../src/receiver/index';
import type { ScratchProject } from './helpers/package-scratch';
import { packIntoScratchProject, REPO, run, runForOutput } from './helpers/package-scratch';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

const BUCKET = 'media-1250000000';
const REGION = 'ap-guangzhou';

/** Subpaths users may import (appended to the package name). */
const ENTRY_POINTS = ['', '/workflows', '/client', '/ci', '/emulator', '/receiver', '/nexus'];

describe('the packed package, installed in a scratch project outside the repository', () => {
  let scratch: ScratchProject;
  let load: NodeJS.Require;
  const started = Date.now();

  before(async () => {
    scratch = await packIntoScratchProject();
    load = createRequire(join(scratch.dir, 'package.json'));
  });
  after(() => {
    scratch?.remove();
    const { pack, timings } = scratch ?? {};
    if (pack) {
      console.log(
        `package: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(0)} kB packed, ` +
          `${(pack.unpackedSize / 1024).toFixed(0)} kB unpacked; build ${timings?.buildMs} ms, ` +
          `pack ${timings?.packMs} ms, install ${timings?.installMs} ms, total ${Date.now() - started} ms`,
      );
    }
  });

  it('ships dist/ only (no sources, tests or dev tooling), plus package.json, README, CHANGELOG and LICENSE', () => {
    const paths = scratch.pack.files.map((f) => f.path);
    const stray = paths.filter(
      (p) =>
        !/^dist\/.+\.(js|js\.map|d\.ts)$/.test(p) &&
        !['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE'].includes(p),
    );
    assert.deepEqual(stray, []);
    assert.deepEqual(
      paths.filter((p) => /(^|\/)(devstack|test|tests|__tests__)\/|\.test\.|\.tsbuildinfo$/.test(p)),
      [],
    );
    for (const required of ['dist/index.js', 'dist/index.d.ts', 'dist/workflows/index.js', 'dist/cli/main.js']) {
      assert.ok(paths.includes(required), `${required} is in the tarball`);
    }
    assert.ok(paths.includes('CHANGELOG.md'), 'CHANGELOG.md is in the tarball');
    assert.ok(paths.includes('LICENSE'), 'LICENSE (MIT, as package.json says) is in the tarball');
    // Source maps ship with their sources (`inlineSources`): the src/ they name is not in the tarball.
    const maps = paths.filter((p) => p.endsWith('.js.map'));
    assert.ok(maps.length > 0);
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(
        readFileSync(join(scratch.dir, 'node_modules', scratch.name, map), 'utf8'),
      ) as { sources: string[]; sourcesContent?: (string | null)[] };
      assert.equal(sourcesContent?.length, sources.length, `${map} carries its sources`);
      assert.ok(
        sourcesContent.every((text) => typeof text === 'string' && text.length > 0),
        `${map}: empty source`,
      );
    }
  });

  it('installs as a real directory with working bins whose shebang survived the build', async () => {
    const installed = join(scratch.dir, 'node_modules', scratch.name);
    assert.ok(lstatSync(installed).isDirectory() && !lstatSync(installed).isSymbolicLink());
    for (const bin of ['transcribe-asr', 'transcribe-asr-worker']) {
      const script = readFileSync(join(scratch.dir, 'node_modules', '.bin', bin), 'utf8');
      assert.match(script, /^#!\/usr\/bin\/env node\n/, `${bin} starts with a shebang`);
    }
    // Recipe 1 is shell: the commands it runs through npx are bins the installed package provides.
    const recipe1 = readFileSync(join(REPO, 'examples', 'run-worker.sh'), 'utf8');
    const npxBins = [...recipe1.matchAll(/^npx (\S+)/gm)].map((m) => m[1]!);
    assert.deepEqual(npxBins, ['transcribe-asr-worker']);
    for (const bin of npxBins) assert.ok(existsSync(join(scratch.dir, 'node_modules', '.bin', bin)), bin);
    const help = await run(join(scratch.dir, 'node_modules', '.bin', 'transcribe-asr'), ['--help'], {
      cwd: scratch.dir,
      env: childEnv(scratch.dir, {}),
    });
    // Installed, hints name the bin (in a clone they say `npm run cli --`).
    assert.match(help, /^Usage: transcribe-asr <command>/);
  });

  it('resolves every public entry point, and nothing else', () => {
    for (const entry of ENTRY_POINTS) {
      const file = load.resolve(`${scratch.name}${entry}`);
      assert.ok(file.startsWith(join(scratch.dir, 'node_modules', scratch.name, 'dist')), file);
      assert.equal(typeof load(`${scratch.name}${entry}`), 'object');
    }
    assert.equal((load(`${scratch.name}/package.json`) as { version: string }).version, '0.1.0');
    for (const internal of [
      '/dist/activities/submit/tag',
      '/dist/activities/job-tag.js',
      '/src/index.ts',
      '/activities',
    ]) {
      assert.throws(() => load(`${scratch.name}${internal}`), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' }, internal);
    }
    const main = load(scratch.name) as typeof MainEntry;
    assert.equal(new main.TencentCiAsrPlugin().name, 'TencentCiAsrPlugin');
    // Each name has one home: what ./client exports is not repeated in the main entry.
    const client = load(`${scratch.name}/client`) as typeof ClientEntry;
    assert.equal(new client.TencentCiAsrClientPlugin().name, 'TencentCiAsrClientPlugin');
    assert.deepEqual(
      Object.keys(client).filter((name) => name in main),
      [],
    );
  });

  it('loads neither the Temporal worker nor the COS SDK nor the OTLP exporter for ./client and ./nexus (the main entry does)', async () => {
    const heavy = ['@temporalio/worker', 'cos-nodejs-sdk-v5', '@opentelemetry/exporter-trace-otlp-http'];
    const loadedBy = async (entry: string): Promise<string[]> => {
      // A fresh process: what requiring the entry pulled into require.cache, and nothing else.
      const source =
        `require(${JSON.stringify(entry)}); const files = Object.keys(require.cache);` +
        `console.log(JSON.stringify(${JSON.stringify(heavy)}.filter((name) => ` +
        `files.some((file) => file.includes('/node_modules/' + name + '/')))));`;
      const out = await run(process.execPath, ['-e', source], { cwd: scratch.dir });
      return JSON.parse(out) as string[];
    };
    assert.deepEqual(await loadedBy(`${scratch.name}/client`), []);
    assert.deepEqual(await loadedBy(`${scratch.name}/nexus`), []);
    assert.deepEqual(await loadedBy(scratch.name), heavy, 'the check sees what the main entry loads');
  });

  it('imports by name from ECMAScript modules too', async () => {
    const names = { '': 'loadWorkerConfig', '/workflows': 'transcribeMedia', '/client': 'startTranscription' };
    const source = Object.entries(names)
      .map(([entry, name]) => `import { ${name} } from '${scratch.name}${entry}'; console.log(typeof ${name});`)
      .join('\n');
    const out = await run(process.execPath, ['--input-type=module', '-e', source], { cwd: scratch.dir });
    assert.deepEqual(out.trim().split('\n'), ['function', 'function', 'function']);
  });

  describe('recipes (examples/) against Temporal and the emulator from the installed package', () => {
    let temporal: TemporalTestServer;
    before(async () => {
      temporal = await startTemporalForTests();
      cpSync(join(REPO, 'examples'), join(scratch.dir, 'recipes'), {
        recursive: true,
        filter: (source) => !source.endsWith('tsconfig.json'),
      });
      // Not a recipe: pulls every entry point's declarations into the type check, not just those the recipes use.
      const imports = ENTRY_POINTS.map((entry, i) => `import * as entry${i} from '${scratch.name}${entry}';`);
      const list = `export const entryPoints = [${ENTRY_POINTS.map((_, i) => `entry${i}`).join(', ')}];`;
      writeFileSync(join(scratch.dir, 'recipes', 'entry-points.ts'), `${imports.join('\n')}\n${list}\n`);
      writeRecipesTsconfig(scratch.dir);
    });
    after(async () => {
      await temporal?.teardown();
    });

    it('type-check against the installed .d.ts files and compile to plain JavaScript (no tsx)', async () => {
      // NodeNext (emits out/, which the next test runs) and, at once, the older `node10` resolution many Temporal
      // projects still use, which only finds the subpath entries through `typesVersions`.
      const [nodeNext, node10] = await Promise.all(
        ['tsconfig.json', 'tsconfig.node10.json'].map((project) =>
          runForOutput(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project, '--pretty', 'false'], {
            cwd: scratch.dir,
            // Two full checks (skipLibCheck off) at once: about 90 s when the machine is shared, so no tight limit.
            timeoutMs: 300_000,
          }),
        ),
      );
      assert.deepEqual(ourTypeErrors(nodeNext!.output), [], nodeNext!.output);
      assert.deepEqual(ourTypeErrors(node10!.output), [], node10!.output);
      assert.ok(existsSync(join(scratch.dir, 'out', 'client.js')), `tsc emitted nothing:\n${nodeNext!.output}`);
    });

    it('run our worker (run-worker.sh), your plugin-only worker, your parent workflow and the client code', async () => {
      await runRecipes(scratch, load, temporal);
    });
  });
});

/**
 * Errors in the recipes or in this package's declarations. Every .d.ts is checked (skipLibCheck off) so a type that
 * only resolves inside the repository fails; errors inside third-party declarations (e.g. @temporalio/common's use of
 * the untyped `ms`, reported under the repository's node_modules as `../…`) are not this package's.
 */
function ourTypeErrors(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => /error TS\d+/.test(line) && !line.startsWith('../'))
    .filter((line) => !/node_modules\/(?!temporal-tencent-ci-asr\/)/.test(line.split('(')[0] ?? ''));
}

/** Compiler settings of a typical user's CommonJS project, resolving only what node_modules offers. */
function writeRecipesTsconfig(dir: string): void {
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2022'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    noUncheckedIndexedAccess: true,
    // Our own .d.ts files are checked too; third-party ones are not this test's business.
    skipLibCheck: false,
    skipDefaultLibCheck: true,
    types: ['node'],
    typeRoots: [join(REPO, 'node_modules', '@types')],
    rootDir: 'recipes',
    outDir: 'out',
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['recipes'] }, null, 2));
  // esModuleInterop as in any Temporal project: the SDK's own declarations need it (`import Long from 'long'`).
  const node10 = {
    extends: './tsconfig.json',
    compilerOptions: { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true, noEmit: true },
  };
  writeFileSync(join(dir, 'tsconfig.node10.json'), JSON.stringify(node10, null, 2));
}

/** A minimal environment: nothing from the developer's shell or Temporal config file leaks in. */
function childEnv(home: string, vars: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: home, ...vars };
}

interface Child {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function startChild(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Child {
  const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output: () => output, exited };
}

async function stopChild(child: Child, name: string): Promise<void> {
  if (child.process.exitCode !== null) {
    assert.fail(`${name} exited early (${child.process.exitCode}):\n${child.output()}`);
  }
  child.process.kill('SIGINT');
  const timeout = setTimeout(() => child.process.kill('SIGKILL'), 20_000);
  const code = await child.exited;
  clearTimeout(timeout);
  assert.equal(code, 0, `${name} drains and exits 0 on SIGINT:\n${child.output()}`);
}

async function runRecipes(scratch: ScratchProject, load: NodeJS.Require, temporal: TemporalTestServer): Promise<void> {
  const { startEmulator, silentWav } = load(`${scratch.name}/emulator`) as typeof EmulatorEntry;
  const { startReceiver, createTemporalClientFactory, silentLogger } = load(
    `${scratch.name}/receiver`,
  ) as typeof ReceiverEntry;
  const ci = load(`${scratch.name}/ci`) as typeof CiEntry;
  const credentials = {
    secretId: `AKID${randomBytes(12).toString('hex')}`,
    secretKey: randomBytes(24).toString('hex'),
  };
  const callbackSecret = randomBytes(32).toString('hex');
  const address = temporal.env.address;
  const namespace = temporal.env.namespace ?? 'default';
  const emulator = await startEmulator({ credentials, defaultBucket: BUCKET, defaultRegion: REGION });
  const receiver = await startReceiver({
    secrets: [callbackSecret],
    temporal: createTemporalClientFactory({ connectionOptions: { address }, namespace }),
    logger: silentLogger,
  });
  const asrQueue = `asr-pkg-${randomUUID()}`;
  const appQueue = `app-pkg-${randomUUID()}`;
  const workerEnv = (taskQueue: string) =>
    childEnv(scratch.dir, {
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TENCENT_SECRET_ID: credentials.secretId,
      TENCENT_SECRET_KEY: credentials.secretKey,
      CI_BUCKET: BUCKET,
      CI_REGION: REGION,
      CI_ENDPOINT: emulator.url,
      CALLBACK_PUBLIC_BASE_URL: receiver.url,
      CALLBACK_SECRET: callbackSecret,
      LOG_LEVEL: 'WARN',
    });
  const ourWorker = startChild(
    join(scratch.dir, 'node_modules', '.bin', 'transcribe-asr-worker'),
    [],
    scratch.dir,
    workerEnv(asrQueue),
  );
  const yourWorker = startChild(
    process.execPath,
    [join('out', 'embed-worker', 'worker.js')],
    scratch.dir,
    workerEnv(appQueue),
  );
  let stops: PromiseSettledResult<void>[];
  try {
    const key = `uploads/${randomUUID()}.wav`;
    emulator.putObject(BUCKET, key, silentWav(2));
    const client = startChild(
      process.execPath,
      [join('out', 'client.js'), key],
      scratch.dir,
      childEnv(scratch.dir, {
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        ASR_TASK_QUEUE: asrQueue,
        APP_TASK_QUEUE: appQueue,
      }),
    );
    const timeout = setTimeout(() => client.process.kill('SIGKILL'), 120_000);
    const code = await client.exited;
    clearTimeout(timeout);
    const diagnostics = `client:\n${client.output()}\nour worker:\n${ourWorker.output()}\nyour worker:\n${yourWorker.output()}`;
    assert.equal(code, 0, diagnostics);
    const uri = (name: string) => `cos://${BUCKET}/transcripts/${key}.${name}.txt`;
    const lines = client.output().trim().split('\n');
    assert.equal(lines.length, 6, diagnostics);
    assert.match(lines[0]!, /^started transcribe-[0-9a-f-]{36} \(\w+\)$/);
    assert.equal(lines[1], `startTranscription: ${uri('handle')}`);
    assert.equal(lines[2], `executeTranscription: ${uri('execute')}`);
    // The batch ran on your worker, embedded with the plugin alone: its CI quota worker served the admissions.
    assert.match(lines[3]!, /^executeBatch: 1\/1 \(manifest cos:\/\/\S+\)$/, diagnostics);
    assert.match(
      lines[4]!,
      new RegExp(`^transcribeUpload: ${escapeRegExp(uri('child-app-queue'))} \\(\\d+ segments\\)$`),
    );
    assert.match(
      lines[5]!,
      new RegExp(`^transcribeUpload: ${escapeRegExp(uri('child-asr-queue'))} \\(\\d+ segments\\)$`),
    );
    await assertWhoRanWhat(temporal, asrQueue, appQueue);
    for (const worker of [ourWorker, yourWorker]) {
      // The CI quota worker has no workflows on purpose, and says nothing about it.
      assert.doesNotMatch(worker.output(), /No workflows registered/, diagnostics);
    }
    // The transcript is really in (emulated) COS, read back with the installed package's own clients.
    const clients = ci.createTencentClients({
      ...credentials,
      bucket: BUCKET,
      region: REGION,
      endpoint: emulator.url,
    });
    const text = await clients.objects.get({ Bucket: BUCKET, Region: REGION, Key: `transcripts/${key}.handle.txt` });
    assert.ok(text.length > 0);
  } finally {
    stops = await Promise.allSettled([
      stopChild(ourWorker, 'transcribe-asr-worker'),
      stopChild(yourWorker, 'your worker'),
    ]);
    await receiver.close();
    await emulator.close();
  }
  // Reached only when the recipes passed: then a worker that died early or did not drain is the failure to report.
  for (const stop of stops) if (stop.status === 'rejected') throw stop.reason;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Our worker's queue ran the three direct and queue-targeted transcriptions; your queue ran the batch (with its item)
 * and your workflow with one child.
 */
async function assertWhoRanWhat(temporal: TemporalTestServer, asrQueue: string, appQueue: string): Promise<void> {
  const count = async (taskQueue: string) => {
    const types: string[] = [];
    for await (const wf of temporal.env.client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
      types.push(wf.type);
    }
    return types.sort().join(',');
  };
  await waitFor('visibility of the recipe runs', async () => {
    const [asr, app] = [await count(asrQueue), await count(appQueue)];
    return asr === 'transcribeMedia,transcribeMedia,transcribeMedia' &&
      app === 'transcribeBatch,transcribeBatchItem,transcribeMedia,transcribeUpload,transcribeUpload'
      ? true
      : undefined;
  });
}
