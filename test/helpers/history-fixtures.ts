/**
 * Where the replay fixtures live and how they are read: one JSON file per workflow run, in a folder per release
 * (`test/fixtures/histories/<version>/<scenario>.json`), written by `scripts/record-histories.ts` and replayed by
 * `test/replay-histories.test.ts`. Old folders are kept: every release's histories must keep replaying.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';

/** Root folder of the recorded histories. */
export const HISTORY_FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Fixed, recognisable stand-in credentials used while recording, so the secret scan can look for their exact bytes
 * (random ones would vanish with the recording process and make the scan unable to fail).
 */
export const RECORDING_SECRETS = {
  secretId: 'AKIDrecordingfixturesecretid0000',
  secretKey: 'recording-fixture-secret-key-do-not-leak',
  callbackSecret: 'recording-fixture-callback-secret-0123456789abcdef',
} as const;

/**
 * Text that must never appear in a recorded history: the recording secrets, and the markers of a COS/CI request
 * signature, an STS token header or a signed callback URL's token.
 */
export const FORBIDDEN_IN_HISTORIES: readonly (string | RegExp)[] = [
  ...Object.values(RECORDING_SECRETS),
  /q-sign-algorithm/i,
  /q-signature/i,
  /x-cos-security-token/i,
  /authorization/i,
  /[?&]sig=/,
];

/** One recorded run: the scenario it shows, the release that recorded it, and its history. */
export interface HistoryFixture {
  /** `<version>/<file name without .json>`, e.g. `0.1.0/callback-path`. */
  name: string;
  workflowId: string;
  history: temporal.api.history.v1.IHistory;
  /** The file's text and the history's protobuf bytes (payloads decoded, unlike the base64 of the file), to scan. */
  text: string;
  bytes: Buffer;
}

/** The header each fixture file carries next to the history. */
export interface HistoryFixtureFile {
  /** What the run shows (for people reading the file). */
  scenario: string;
  /** Package version whose code recorded it. */
  recordedBy: string;
  workflowType: string;
  workflowId: string;
  /** The history as `historyToJSON` writes it (the `temporal workflow show --output json` format). */
  history: unknown;
}

/** Reads every fixture of every release folder, sorted by name. */
export function loadHistoryFixtures(root = HISTORY_FIXTURES_DIR): HistoryFixture[] {
  const fixtures: HistoryFixture[] = [];
  for (const version of readdirSync(root, { withFileTypes: true })) {
    if (!version.isDirectory()) continue;
    for (const file of readdirSync(join(root, version.name)).filter((f) => f.endsWith('.json'))) {
      const text = readFileSync(join(root, version.name, file), 'utf8');
      const parsed = JSON.parse(text) as HistoryFixtureFile;
      const history = historyFromJSON(parsed.history);
      fixtures.push({
        name: `${version.name}/${file.replace(/\.json$/, '')}`,
        workflowId: parsed.workflowId,
        history,
        text,
        bytes: Buffer.from(temporal.api.history.v1.History.encode(history).finish()),
      });
    }
  }
  return fixtures.sort((a, b) => a.name.localeCompare(b.name));
}

/** The first forbidden item found in a fixture's text or its history's bytes, or undefined. */
export function findForbidden(text: string, bytes: Buffer): string | undefined {
  const decoded = bytes.toString('latin1');
  for (const forbidden of FORBIDDEN_IN_HISTORIES) {
    const found =
      typeof forbidden === 'string'
        ? text.includes(forbidden) || decoded.includes(forbidden)
        : forbidden.test(text) || forbidden.test(decoded);
    if (found) return String(forbidden);
  }
  return undefined;
}
