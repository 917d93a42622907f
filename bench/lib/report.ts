import { cpus } from 'node:os';

/** One row of the printed table: figure, value, goal (if any) and whether the goal is met. */
export interface ReportRow {
  figure: string;
  value: string;
  goal?: string;
  ok?: boolean;
}

/** Prints rows as an aligned text table on stdout. */
export function printTable(rows: readonly ReportRow[]): void {
  const cells = rows.map((row) => [
    row.figure,
    row.value,
    row.goal ?? '',
    row.ok === undefined ? '' : row.ok ? 'ok' : 'MISSED',
  ]);
  const header = ['figure', 'value', 'goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string =>
    c
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

/** The machine the figures were measured on. */
export function machine(): { cpus: number; cpuModel: string; node: string; platform: string } {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    node: process.version,
    platform: process.platform,
  };
}

/** Rounds to `digits` decimals for the report. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
