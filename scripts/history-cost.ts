/**
 * Prints what recorded runs cost the Temporal server, one JSON line per file:
 * `tsx scripts/history-cost.ts test/fixtures/histories/<folder>/callback-path.json ...` (see bench/lib/history-cost.ts).
 */
import { readFileSync } from 'node:fs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { historyCost } from '../bench/lib/history-cost';

function main(): void {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: tsx scripts/history-cost.ts <fixture.json>...');
  for (const file of files) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { history: unknown };
    const { eventsByType, ...cost } = historyCost(historyFromJSON(parsed.history));
    console.log(JSON.stringify({ file, ...cost, eventsByType }));
  }
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
