import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The repository root. */
export const REPO = resolve(__dirname, '..', '..');

/** What `npm pack --json` reports about one tarball. */
export interface PackReport {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

/** The packed tarball, installed into a scratch project outside the repository. */
export interface ScratchProject {
  /** Root of the scratch project (in `os.tmpdir()`). */
  dir: string;
  /** Absolute path of the tarball. */
  tarball: string;
  pack: PackReport;
  /** Package name from package.json. */
  name: string;
  /** Milliseconds taken by the build, `npm pack` and `npm install`. */
  timings: { buildMs: number; packMs: number; installMs: number };
  /** Deletes the scratch project and the tarball (links into the repository are removed, never followed). */
  remove(): void;
}

/** Runs a command to completion; rejects with its output when it fails or outlives `timeoutMs`. */
export function run(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 32 << 20 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${file} ${args.join(' ')} failed:\n${stdout}\n${stderr}`, { cause: err }));
        else resolvePromise(stdout);
      },
    );
  });
}

/** Runs a command to completion and resolves with its exit code and output, whatever the code. */
export function runForOutput(
  file: string,
  args: readonly string[],
  options: { cwd: string; timeoutMs?: number },
): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, maxBuffer: 32 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolvePromise({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const value = await work();
  return [value, Date.now() - started];
}

/** Compiles `src/` with tsconfig.build.json into a staging copy of the package and packs it there (the repo's own `dist/` is left alone). */
async function buildAndPack(
  work: string,
): Promise<{ tarball: string; pack: PackReport; buildMs: number; packMs: number }> {
  const stage = join(work, 'stage');
  mkdirSync(stage);
  for (const file of ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (existsSync(join(REPO, file))) copyFileSync(join(REPO, file), join(stage, file));
  }
  const tsc = require.resolve('typescript/bin/tsc');
  const [, buildMs] = await timed(() =>
    run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', join(stage, 'dist')], {
      cwd: REPO,
      timeoutMs: 120_000,
    }),
  );
  // --ignore-scripts: `prepack` would build again; the build above is the same command.
  const [out, packMs] = await timed(() =>
    run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: stage }),
  );
  const pack = (JSON.parse(out) as PackReport[])[0]!;
  return { tarball: join(work, pack.filename), pack, buildMs, packMs };
}

/**
 * Installs the tarball with npm into a fresh project. The package's own dependencies are linked from the repository's
 * node_modules first (already installed: offline, seconds), so npm installs the tarball itself and links its bins.
 */
async function installTarball(dir: string, tarball: string): Promise<number> {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true }));
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  for (const dependency of Object.keys(manifest.dependencies)) {
    const link = join(dir, 'node_modules', dependency);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(REPO, 'node_modules', dependency), link, 'dir');
  }
  const [, installMs] = await timed(() =>
    run('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir }),
  );
  return installMs;
}

/** Builds, packs and installs the package into a new scratch project under `os.tmpdir()`. */
export async function packIntoScratchProject(): Promise<ScratchProject> {
  const work = mkdtempSync(join(tmpdir(), 'asr-package-'));
  const remove = (): void => rmSync(work, { recursive: true, force: true });
  try {
    const { tarball, pack, buildMs, packMs } = await buildAndPack(work);
    const dir = join(work, 'app');
    mkdirSync(dir);
    const installMs = await installTarball(dir, tarball);
    const { name } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string };
    return { dir, tarball, pack, name, timings: { buildMs, packMs, installMs }, remove };
  } catch (err) {
    remove();
    throw err;
  }
}
