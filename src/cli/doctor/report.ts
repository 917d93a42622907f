/**
 * The result of `transcribe-asr doctor`: one line per check, the text and JSON forms, and the exit code. Pure.
 */

import { CLI_NAME } from '../cli-name';

/** Every check doctor runs, in the order they are shown (`nexus-endpoint` only when an endpoint is configured). */
export const CHECK_IDS = [
  'credentials',
  'bucket',
  'queue',
  'callbacks',
  'temporal',
  'search-attributes',
  'worker',
  'quota-worker',
  'nexus-endpoint',
] as const;

/** One check's id. */
export type CheckId = (typeof CHECK_IDS)[number];

/** `pass` and `warn` let a first job run; `fail` does not; `skip` means a check it depends on failed. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

/** What a check found. */
export interface CheckOutcome {
  status: CheckStatus;
  /** One sentence: what was found (never a secret). */
  detail: string;
  /** What to do about a `fail` or `warn`: commands or settings, one per line. */
  fix?: string;
  /** The failure is in the configuration (a variable is missing or malformed): exit code 2. */
  config?: boolean;
  /** Machine-readable facts, e.g. the queue id and `maxConcurrent`. */
  data?: Readonly<Record<string, string | number | boolean>>;
}

/** One line of the report. */
export interface CheckResult extends CheckOutcome {
  id: CheckId;
  title: string;
  /** Milliseconds the check took. */
  elapsedMs: number;
}

/** Exit codes of doctor, the CLI's own (docs/cli.md): 0 nothing failed, 1 a check failed, 2 bad configuration. */
export const DOCTOR_EXIT = { ok: 0, failed: 1, config: 2 } as const;

/** The exit code of a report: a configuration failure wins over any other failure; warnings and skips pass. */
export function doctorExitCode(results: readonly CheckResult[]): number {
  if (results.some((r) => r.status === 'fail' && r.config === true)) return DOCTOR_EXIT.config;
  return results.some((r) => r.status === 'fail') ? DOCTOR_EXIT.failed : DOCTOR_EXIT.ok;
}

/** Checks per status. */
export type DoctorSummary = Record<CheckStatus, number>;

function summarize(results: readonly CheckResult[]): DoctorSummary {
  const summary: DoctorSummary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const r of results) summary[r.status] += 1;
  return summary;
}

/** The `--json` document: one object a script can read. */
export interface DoctorJson {
  ok: boolean;
  exitCode: number;
  summary: DoctorSummary;
  checks: CheckResult[];
}

/** The `--json` form of a report. */
export function doctorJson(results: readonly CheckResult[]): DoctorJson {
  const exitCode = doctorExitCode(results);
  return { ok: exitCode === DOCTOR_EXIT.ok, exitCode, summary: summarize(results), checks: [...results] };
}

const LABELS: Record<CheckStatus, string> = { pass: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** The outcome of a check left out because `dependency` (a title) did not pass. */
export function skippedBecause(dependency: string): CheckOutcome {
  return { status: 'skip', detail: `skipped: because "${dependency}" failed` };
}

/**
 * The checklist as text: `ok|warn|FAIL|skip  title  detail`, each fix indented under its line with `fix:`, then a
 * summary line that says what to do next.
 */
export function formatDoctorReport(results: readonly CheckResult[], command = `${CLI_NAME} doctor`): string {
  const width = Math.max(0, ...results.map((r) => r.title.length));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${LABELS[r.status].padEnd(4)}  ${r.title.padEnd(width)}  ${r.detail}`);
    if (r.fix !== undefined && r.status !== 'pass' && r.status !== 'skip') {
      const indent = ' '.repeat(6);
      const [first = '', ...rest] = r.fix.split('\n');
      lines.push(`${indent}fix: ${first}`, ...rest.map((l) => `${indent}     ${l}`));
    }
  }
  const s = summarize(results);
  const counts = [`${s.pass} ok`, `${s.warn} warning(s)`, `${s.fail} failed`, `${s.skip} skipped`].join(', ');
  const next =
    s.fail === 0
      ? s.warn === 0
        ? 'Ready for a first job.'
        : 'Ready for a first job; read the warnings.'
      : `Fix the failed lines, then run \`${command}\` again.`;
  return `${lines.join('\n')}\n\n${counts}. ${next}\n`;
}
