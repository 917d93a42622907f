/**
 * The committed API reports (`api/<entry>.api.md`) match every public entry: an export added, removed or changed
 * without its report fails here. After a deliberate change, `npm run api` rewrites the reports to commit with it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emitDeclarations, runApiReports } from '../scripts/api-report';

describe('API reports', () => {
  it('api/*.api.md match the declarations of every public entry (run `npm run api` after a deliberate change)', () => {
    emitDeclarations();
    const results = runApiReports(false);
    const stale = results.filter((r) => r.changed).map((r) => `api/${r.entry}.api.md`);
    assert.deepEqual(
      stale,
      [],
      `exports changed without their report; run \`npm run api\` and commit ${stale.join(', ')}`,
    );
    assert.deepEqual(
      results.flatMap((r) => r.problems.map((p) => `${r.entry}: ${p}`)),
      [],
    );
  });
});
