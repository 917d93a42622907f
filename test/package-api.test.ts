import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const REPO = resolve(__dirname, '..');

interface Manifest {
  version: string;
  main: string;
  types: string;
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
  bin: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Manifest;

/** `./dist/a/b.js` or `./dist/a/b.d.ts` → `src/a/b.ts`. */
function sourceOf(distPath: string): string {
  return distPath.replace(/^\.?\/?dist\//, 'src/').replace(/(\.d\.ts|\.js)$/, '.ts');
}

const entrySources = Object.entries(manifest.exports)
  .filter((entry): entry is [string, { types: string; default: string }] => typeof entry[1] === 'object')
  .map(([subpath, target]) => ({ subpath, source: sourceOf(target.default) }));

describe('package.json entry points', () => {
  it('map every export to a compiled source file, with types next to the code', () => {
    assert.equal(manifest.version, '0.1.0');
    assert.deepEqual(Object.keys(manifest.exports).sort(), [
      '.',
      './ci',
      './client',
      './emulator',
      './nexus',
      './package.json',
      './receiver',
      './workflows',
    ]);
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue;
      assert.deepEqual(Object.keys(target), ['types', 'default'], `${subpath}: "types" comes first`);
      assert.equal(target.types.replace(/\.d\.ts$/, ''), target.default.replace(/\.js$/, ''), subpath);
      assert.ok(existsSync(join(REPO, sourceOf(target.default))), `${subpath} → ${sourceOf(target.default)}`);
    }
    // `moduleResolution: node10` ignores `exports`: typesVersions gives it the same declarations per subpath.
    const legacy = manifest.typesVersions['*'] ?? {};
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string' || subpath === '.') continue;
      assert.deepEqual(legacy[subpath.slice(2)], [target.types], `typesVersions for ${subpath}`);
    }
    assert.equal(Object.keys(legacy).length, Object.keys(manifest.exports).length - 2);
    const root = manifest.exports['.'] as { types: string; default: string };
    assert.equal(manifest.main, root.default);
    assert.equal(manifest.types, root.types);
  });

  it('point every bin at a source file with a node shebang', () => {
    for (const [name, target] of Object.entries(manifest.bin)) {
      const text = readFileSync(join(REPO, sourceOf(target)), 'utf8');
      assert.ok(text.startsWith('#!/usr/bin/env node\n'), `${name} (${target}) has a shebang`);
    }
  });

  it('need nothing at run time that is only a dev dependency (tsx, @temporalio/testing) nor the unpublished dev stack', () => {
    assert.equal(manifest.dependencies.tsx, undefined);
    assert.equal(manifest.dependencies['@temporalio/testing'], undefined);
    // The dev stack (which uses tsx and @temporalio/testing) lives in devstack/, outside src/ and so outside dist/.
    assert.equal(existsSync(join(REPO, 'src', 'devstack')), false, 'the dev stack is not under src/');
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/from '(tsx|@temporalio\/testing|(\.\.\/)+devstack)[/']/.test(readFileSync(path, 'utf8'))) {
          offenders.push(relative(REPO, path));
        }
      }
    };
    walk(join(REPO, 'src'));
    assert.deepEqual(offenders, []);
  });
});

describe('public API documentation', () => {
  it('every symbol exported through `exports` has a TSDoc comment', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(REPO, 'tsconfig.build.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')),
      },
    )!;
    const roots = entrySources.map((e) => join(REPO, e.source));
    const program = ts.createProgram(roots, { ...config.options, noEmit: true });
    const checker = program.getTypeChecker();
    const undocumented: string[] = [];
    let count = 0;
    for (const { subpath, source } of entrySources) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(join(REPO, source))!)!;
      for (const symbol of checker.getExportsOfModule(module)) {
        count++;
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        if (ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === '') {
          const file = target.declarations?.[0]?.getSourceFile().fileName ?? '?';
          undocumented.push(`${subpath}: ${symbol.name} (${relative(REPO, file)})`);
        }
      }
    }
    assert.deepEqual(undocumented, []);
    assert.ok(count > 100, `walked ${count} exports`);
  });
});
