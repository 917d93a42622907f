/**
 * The Node.js support policy in one place: the versions `.ci/run` tests (`.ci/node-versions`), package.json `engines`,
 * the Dockerfile's image and the table in CONTRIBUTING.md must tell the same story.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  assert.ok(match, `"${text}" is a full x.y.z version`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

const atLeast = (v: Version, floor: Version): boolean => {
  for (let i = 0; i < 3; i++) if (v[i] !== floor[i]) return v[i]! > floor[i]!;
  return true;
};

/** The subset of npm ranges `engines` uses: `^x.y.z` and `>=x.y.z`, joined by `||`. */
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((part) => {
    const match = /^\s*(\^|>=)(\d+\.\d+\.\d+)\s*$/.exec(part);
    assert.ok(match, `engines part "${part}" is ^x.y.z or >=x.y.z`);
    const floor = parseVersion(match[2]!);
    return atLeast(version, floor) && (match[1] === '>=' || version[0] === floor[0]);
  });
}

const tested = read('.ci/node-versions')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'))
  .map((line) => ({ text: line.trim(), version: parseVersion(line) }));
const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;

describe('Node.js support policy', () => {
  it('tests one pinned version per line, oldest line first', () => {
    const majors = tested.map((t) => t.version[0]);
    assert.ok(majors.length >= 2, 'at least two lines are tested');
    assert.deepEqual(
      majors,
      [...new Set(majors)].sort((a, b) => a - b),
    );
    assert.ok(
      majors.every((major) => major % 2 === 0),
      'only LTS (even) lines are tested',
    );
  });

  it('accepts every tested version in engines, and no line below the oldest tested one', () => {
    for (const { text, version } of tested)
      assert.ok(satisfies(version, engines), `engines "${engines}" accepts ${text}`);
    const oldest = tested[0]!.version[0];
    assert.equal(satisfies([oldest - 1, 99, 99], engines), false, `engines "${engines}" refuses Node ${oldest - 1}`);
    for (const odd of [oldest + 1, oldest + 3]) {
      assert.equal(satisfies([odd, 0, 0], engines), false, `engines "${engines}" refuses odd line ${odd}`);
    }
  });

  it('builds the Docker image on the newest tested version', () => {
    const image = /^ARG NODE_IMAGE=node:(\S+?)-bookworm-slim$/m.exec(read('Dockerfile'));
    assert.ok(image, 'the Dockerfile pins a node:<version>-bookworm-slim image');
    assert.equal(image[1], tested.at(-1)!.text);
  });

  it('lists every tested version in CONTRIBUTING.md', () => {
    const readme = read('CONTRIBUTING.md');
    for (const { text, version } of tested) {
      assert.match(readme, new RegExp(`^\\| ${version[0]} +\\|.*tested on ${text.replaceAll('.', '\\.')}`, 'm'));
    }
  });
});
