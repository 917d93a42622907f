import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of procfs CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** The pid of the process whose command line contains every one of `parts`, if any. */
export function findPid(parts: readonly string[]): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (parts.every((part) => cmdline.includes(part))) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/** CPU time (user + system) a process has used so far, in ms; NaN when it cannot be read. */
export function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th of the whole line.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** CPU time this process has used so far, in ms. */
export function selfCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** The pid of the `temporal server start-dev` process serving `address` (`host:port`), if found. */
export function devServerPid(address: string): number | undefined {
  return findPid(['start-dev', `--port ${address.split(':').at(-1)}`]);
}
