import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const REPO = resolve(__dirname, '..');
const SRC = join(REPO, 'src');

/**
 * Folder pairs that still import each other, each with the change that removes it. Keep this empty: a pair belongs
 * here only while another branch that removes it is in flight.
 */
const ALLOWED_FOLDER_LOOPS: ReadonlyArray<readonly [string, string]> = [];

/** The package entries' barrels (`exports` in package.json): they re-export folders and so may import across them. */
function entryBarrels(): Set<string> {
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { default: string }>;
  };
  return new Set(
    Object.values(manifest.exports)
      .map((target) => (typeof target === 'string' ? target : target.default))
      .filter((target) => target.startsWith('./dist/'))
      .map((target) => join(SRC, target.slice('./dist/'.length).replace(/\.js$/, '.ts'))),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The top folder of `src/` a file is in, or undefined for the files directly in `src/` (entries). */
function folderOf(file: string): string | undefined {
  const parts = relative(SRC, file).split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : undefined;
}

/** Folder → folder → one file import that makes the edge (type-only imports and re-exports included). */
function folderGraph(): Map<string, Map<string, string>> {
  const barrels = entryBarrels();
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    if (!from || barrels.has(file)) continue;
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const to = folderOf(resolve(dirname(file), fileName));
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      graph.set(from, edges);
      if (!edges.has(to)) edges.set(to, `${relative(SRC, file)} imports ${fileName}`);
    }
  }
  return graph;
}

/** Every elementary cycle's folders, found by a depth-first search from each folder (the graph is small). */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  const found = new Map<string, string[]>();
  const walk = (path: string[]): void => {
    for (const next of graph.get(path[path.length - 1]!)?.keys() ?? []) {
      if (next === path[0]) {
        // One rotation per cycle: the one that starts at its smallest folder name.
        const start = path.indexOf([...path].sort()[0]!);
        const cycle = [...path.slice(start), ...path.slice(0, start)];
        found.set(cycle.join('>'), cycle);
      } else if (!path.includes(next) && next > path[0]!) walk([...path, next]);
    }
  };
  for (const folder of graph.keys()) walk([folder]);
  return [...found.values()];
}

describe('src/ layout', () => {
  it('has no import loop between its folders (entry barrels aside)', () => {
    const graph = folderGraph();
    assert.ok(graph.size > 10, 'the scan reads the folders');
    const allowed = (cycle: string[]) =>
      cycle.length === 2 && ALLOWED_FOLDER_LOOPS.some((pair) => [...pair].sort().join() === [...cycle].sort().join());
    const loops = cycles(graph)
      .filter((cycle) => !allowed(cycle))
      .map((cycle) =>
        cycle
          .map((folder, i) => {
            const next = cycle[(i + 1) % cycle.length]!;
            return `${folder} → ${next} (${graph.get(folder)!.get(next)})`;
          })
          .join('; '),
      );
    assert.deepEqual(loops, [], `folder loops:\n${loops.join('\n')}`);
  });

  it('finds a loop when there is one (the check is not vacuous)', () => {
    const graph = new Map([
      ['a', new Map([['b', 'a/x.ts imports ../b/y']])],
      ['b', new Map([['c', 'b/y.ts imports ../c/z']])],
      ['c', new Map([['a', 'c/z.ts imports ../a/x']])],
    ]);
    assert.deepEqual(cycles(graph), [['a', 'b', 'c']]);
  });

  it('keeps the activity↔workflow contract a leaf: it imports neither side', () => {
    const contract = folderGraph().get('contract') ?? new Map<string, string>();
    assert.ok(existsSync(join(SRC, 'contract', 'index.ts')));
    assert.deepEqual(
      [...contract.keys()].filter((to) => ['activities', 'workflows'].includes(to)),
      [],
      [...contract.values()].join('\n'),
    );
  });
});
