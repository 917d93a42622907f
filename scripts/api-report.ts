/**
 * API reports (`api/<entry>.api.md`, Microsoft's API Extractor): one per public entry of package.json, listing every
 * exported name and signature. `npm run api` rewrites them after a deliberate change; `test/api-report.test.ts` fails
 * when an export changed and its report did not. Works on declarations only, emitted (incrementally) for the entries
 * alone into a scratch folder, and one compiler pass serves all entries, so a check takes seconds.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const REPO = resolve(__dirname, '..');
// Outside node_modules (API Extractor takes whatever lies under one for another package's), one per checkout.
const CACHE = join(tmpdir(), `api-report-${createHash('sha256').update(REPO).digest('hex').slice(0, 12)}`);
const DTS = join(CACHE, 'dts');

/** Report name → entry source under src/ (package.json `exports`: `.` is `main`). */
export const API_ENTRIES: Record<string, string> = {
  main: 'index',
  client: 'client/index',
  workflows: 'workflows/index',
  ci: 'ci/index',
  emulator: 'emulator/index',
  receiver: 'receiver/index',
  nexus: 'nexus/index',
};

/** Emits the entries' declarations (and what they reach) into the cache; throws tsc's output on a type error. */
export function emitDeclarations(): void {
  mkdirSync(CACHE, { recursive: true });
  const project = join(CACHE, 'tsconfig.json');
  const tsconfig = {
    extends: join(REPO, 'tsconfig.build.json'),
    compilerOptions: {
      rootDir: join(REPO, 'src'),
      outDir: DTS,
      emitDeclarationOnly: true,
      declarationMap: false,
      sourceMap: false,
      inlineSources: false,
      incremental: true,
      tsBuildInfoFile: join(CACHE, 'tsbuildinfo'),
      typeRoots: [join(REPO, 'node_modules', '@types')],
    },
    files: Object.values(API_ENTRIES).map((entry) => join(REPO, 'src', `${entry}.ts`)),
    include: [],
  };
  writeFileSync(project, JSON.stringify(tsconfig, null, 2));
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', project], {
    encoding: 'utf8',
  });
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
}

/** The outcome for one entry: whether its committed report matches, and what the extractor complained about. */
export interface ApiReportResult {
  entry: string;
  /** The committed report differs from the API (in check mode, the new one is in the scratch folder's reports/). */
  changed: boolean;
  problems: string[];
}

/** Runs the extractor on every entry; `update` rewrites `api/*.api.md`, otherwise they are only compared. */
export function runApiReports(update: boolean): ApiReportResult[] {
  const configs = Object.entries(API_ENTRIES).map(([name, entry]) => ({ name, config: extractorConfig(name, entry) }));
  // One TypeScript program for all entries: building it is most of the time.
  const compilerState = CompilerState.create(configs[0]!.config, {
    additionalEntryPoints: configs.map(({ config }) => config.mainEntryPointFilePath),
  });
  return configs.map(({ name, config }) => {
    const problems: string[] = [];
    const result = Extractor.invoke(config, {
      localBuild: update,
      compilerState,
      messageCallback: (message) => {
        message.handled = true;
        const level = message.logLevel;
        if (level === ExtractorLogLevel.Error || level === ExtractorLogLevel.Warning) {
          problems.push(`${message.messageId}: ${message.text}`);
        }
      },
    });
    return { entry: name, changed: result.apiReportChanged, problems };
  });
}

function extractorConfig(name: string, entry: string): ExtractorConfig {
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: REPO,
      mainEntryPointFilePath: join(DTS, `${entry}.d.ts`),
      compiler: { tsconfigFilePath: join(CACHE, 'tsconfig.json') },
      apiReport: {
        enabled: true,
        reportFileName: name,
        reportFolder: join(REPO, 'api'),
        reportTempFolder: join(CACHE, 'reports'),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        extractorMessageReporting: {
          // A type reached through a public one but exported by another entry, or internal on purpose (the
          // activity contract behind ActivityDeps): the report shows its name where it is used.
          'ae-forgotten-export': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
          'ae-missing-release-tag': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
          'ae-unresolved-link': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
        },
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(REPO, 'package.json'),
  });
}

function main(): void {
  emitDeclarations();
  const results = runApiReports(true);
  for (const { entry, changed, problems } of results) {
    console.log(`api/${entry}.api.md ${changed ? 'updated' : 'unchanged'}`);
    for (const problem of problems) console.log(`  ${problem}`);
  }
}

if (require.main === module) main();
