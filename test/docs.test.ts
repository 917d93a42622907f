/**
 * The docs say what the code does: the README stays short with the embedding code near its top, every TypeScript block
 * of it is either an excerpt of a file in `examples/` (which test/package.test.ts compiles and runs from the tarball)
 * or compiled here against `src/`, its commands exist, and every relative link of the docs resolves.
 */
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import type { CodeBlock } from './helpers/markdown';
import { codeBlocks, headingAnchors, links, missingExcerptLine } from './helpers/markdown';

const REPO = resolve(__dirname, '..');
const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');
const README = read('README.md');
const manifest = JSON.parse(read('package.json')) as {
  name: string;
  exports: Record<string, string | { types: string }>;
  scripts: Record<string, string>;
  bin: Record<string, string>;
};

/** Docs pages whose TypeScript blocks are compiled too, each page as one module (a block may use the one above). */
const COMPILED_DOCS = ['docs/start-helpers.md'];

const isTypeScript = (block: CodeBlock): boolean => block.lang === 'ts' || block.lang === 'typescript';
const exampleOf = (block: CodeBlock): string | undefined => /^example:\s*(\S+)$/.exec(block.marker ?? '')?.[1];
const notCompiledReason = (block: CodeBlock): string | undefined =>
  /^not compiled:\s*(.+)$/.exec(block.marker ?? '')?.[1];

function markdownFiles(dir: string): string[] {
  return readdirSync(join(REPO, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(REPO, path)).isDirectory()) return markdownFiles(path);
    return name.endsWith('.md') ? [path] : [];
  });
}

function exampleFiles(dir = 'examples'): string[] {
  return readdirSync(join(REPO, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(REPO, path)).isDirectory()) return exampleFiles(path);
    return name === 'tsconfig.json' ? [] : [path];
  });
}

describe('README', () => {
  it('fits in 200 lines, with the first embedding code in its first 120', () => {
    const lines = README.split('\n').length - (README.endsWith('\n') ? 1 : 0);
    assert.ok(lines <= 200, `README.md has ${lines} lines`);
    const embedding = codeBlocks(README).find((b) => isTypeScript(b) && b.code.includes('TencentCiAsrPlugin'));
    assert.ok(embedding, 'a TypeScript block shows TencentCiAsrPlugin');
    assert.ok(embedding.line <= 120, `the first embedding code starts at line ${embedding.line}`);
  });

  it('gives the test command that .ci/run runs', () => {
    assert.match(README, /`npm test`/);
    assert.match(read('.ci/run'), /npm test/);
    assert.ok(manifest.scripts.test, 'package.json has a test script');
  });

  it('names only npm scripts and bins that exist', () => {
    for (const [, script] of README.matchAll(/npm run (?:-s )?([\w:-]+)/g)) {
      assert.ok(manifest.scripts[script!], `npm run ${script} is a package.json script`);
    }
    for (const [, bin] of README.matchAll(/npx (transcribe-[\w-]+)/g)) {
      assert.ok(manifest.bin[bin!], `npx ${bin} is a bin of the package`);
    }
  });

  it('quotes excerpts of the files in examples/, in order', (t) => {
    const excerpts = codeBlocks(README).filter((b) => exampleOf(b) !== undefined);
    assert.ok(excerpts.length > 0, 'the README quotes the examples');
    const problems: string[] = [];
    for (const block of excerpts) {
      const file = exampleOf(block)!;
      t.diagnostic(`README.md:${block.line} quotes ${file}`);
      if (!file.startsWith('examples/') || !existsSync(join(REPO, file))) {
        problems.push(`README.md:${block.line}: ${file} is not a file under examples/`);
        continue;
      }
      const missing = missingExcerptLine(block.code, read(file));
      if (missing !== undefined)
        problems.push(`README.md:${block.line}: "${missing}" is not in ${file} (in this order)`);
    }
    assert.deepEqual(problems, []);
  });

  it('compiles every other TypeScript block against src/', (t) => {
    const blocks = codeBlocks(README).filter((b) => isTypeScript(b) && exampleOf(b) === undefined);
    for (const block of blocks.filter(notCompiledReason)) {
      t.diagnostic(`README.md:${block.line} not compiled: ${notCompiledReason(block)}`);
    }
    const compiled = blocks.filter((b) => !notCompiledReason(b));
    for (const block of compiled) t.diagnostic(`README.md:${block.line} compiled`);
    // The start helpers' page too: it documents the client entry by its package imports, the names most likely to drift.
    const pages = [{ page: 'README.md', blocks: compiled }, ...COMPILED_DOCS.map(compilablePage)];
    assert.deepEqual(compilePages(pages), []);
  });
});

describe('examples/', () => {
  it('are all listed in docs/recipes.md', () => {
    const listed = new Set(links(read('docs/recipes.md')).map((l) => relative(REPO, resolve(REPO, 'docs', l.target))));
    for (const file of exampleFiles()) assert.ok(listed.has(file), `docs/recipes.md links ${file}`);
  });
});

describe('links', () => {
  const pages = ['README.md', 'CONTRIBUTING.md', ...markdownFiles('docs')];
  for (const page of pages) {
    it(`resolve in ${page}`, () => {
      const broken: string[] = [];
      for (const { target, line } of links(read(page))) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const file = path === '' ? page : relative(REPO, resolve(REPO, dirname(page), decodeURI(path)));
        if (!existsSync(join(REPO, file))) {
          broken.push(`${page}:${line}: ${target} (no ${file})`);
        } else if (anchor !== undefined && file.endsWith('.md') && !headingAnchors(read(file)).has(anchor)) {
          broken.push(`${page}:${line}: ${target} (no heading #${anchor} in ${file})`);
        }
      }
      assert.deepEqual(broken, []);
    });
  }
});

interface Page {
  page: string;
  blocks: CodeBlock[];
}

function compilablePage(page: string): Page {
  const blocks = codeBlocks(read(page)).filter((b) => isTypeScript(b) && !notCompiledReason(b) && !exampleOf(b));
  assert.ok(blocks.length > 0, `${page} has TypeScript blocks`);
  return { page, blocks };
}

/**
 * Type-checks each page's blocks as one module inside this repository, the package's imports mapped to the sources of
 * its entries. Blocks may use top-level `await`: everything but the imports goes into an async function (the package
 * is CommonJS). Returns the diagnostics, each with its page and line.
 */
function compilePages(pages: Page[]): string[] {
  mkdirSync(join(REPO, '.tmp'), { recursive: true }); // git- and lint-ignored
  const dir = mkdtempSync(join(REPO, '.tmp', 'docs-check-'));
  try {
    const paths: Record<string, string[]> = {};
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target !== 'object') continue;
      const source = target.types.replace(/^\.\/dist\//, './src/').replace(/\.d\.ts$/, '.ts');
      paths[join(manifest.name, subpath)] = [join(REPO, source)];
    }
    const lineMaps = new Map<string, string[]>();
    pages.forEach(({ page, blocks }, index) => {
      const file = join(dir, `page-${index}.ts`);
      const { text, origins } = asModule(page, blocks);
      writeFileSync(file, text);
      lineMaps.set(file, origins);
    });
    const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
    const config = ts.getParsedCommandLineOfConfigFile(join(REPO, 'tsconfig.json'), {}, host)!;
    const program = ts.createProgram([...lineMaps.keys()], { ...config.options, noEmit: true, paths });
    return ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && lineMaps.has(d.file.fileName))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const origin = lineMaps.get(d.file!.fileName)![line] ?? '?';
        return `${origin}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The blocks as one module: their import statements first, the rest in an async function; and each line's origin. */
function asModule(page: string, blocks: CodeBlock[]): { text: string; origins: string[] } {
  const imports: [string, string][] = [];
  const body: [string, string][] = [];
  for (const block of blocks) {
    let inImport = false;
    block.code.split('\n').forEach((line, index) => {
      const entry: [string, string] = [line, `${page}:${block.line + 1 + index}`];
      if (inImport || /^import\s/.test(line)) {
        imports.push(entry);
        inImport = !line.trimEnd().endsWith(';');
      } else {
        body.push(entry);
      }
    });
  }
  const lines: [string, string][] = [
    ...imports,
    ['export async function docsBlocks(): Promise<void> {', page],
    ...body,
    ['}', page],
  ];
  return { text: lines.map(([l]) => l).join('\n') + '\n', origins: lines.map(([, o]) => o) };
}
