import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '@temporalio/client';

/** The real worker entry point, run as a child process exactly as `npm start` runs it. */
const WORKER_ENTRY = resolve(__dirname, '../../src/worker.ts');

/** A `src/worker.ts` process. */
export interface ChildWorker {
  pid: number;
  /** Resident memory now, from `/proc/<pid>/status` (VmRSS), in MiB. */
  rssMb(): number;
  /** Whether the process has exited. */
  exited(): boolean;
  /** Last lines the process wrote to stderr (for error reports). */
  stderrTail(): string;
  /** Sends `signal` and waits for the process to exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Reads a process's resident set size in MiB from procfs. */
export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}

/**
 * Starts `src/worker.ts` (or another worker `entry`, e.g. chaos's slow-credential worker) through tsx with `env` added
 * to this process's environment (PATH, HOME...) and `nodeArgs` (e.g. `--max-old-space-size=...`) given to Node.
 */
export function spawnWorker(
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
  entry: string = WORKER_ENTRY,
): ChildWorker {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    env: { ...process.env, LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not spawn the worker process');
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
  let hasExited = false;
  const exit = new Promise<void>((done) =>
    child.once('exit', () => {
      hasExited = true;
      done();
    }),
  );
  const pid = child.pid;
  return {
    pid,
    rssMb: () => rssMbOf(pid),
    exited: () => hasExited,
    stderrTail: () => stderr,
    kill: async (signal) => {
      if (!hasExited) child.kill(signal);
      await exit;
    },
  };
}

/**
 * Waits until the worker process `pid` polls `taskQueue` for workflow tasks (its default identity is `pid@host`);
 * throws after `timeoutMs`, or as soon as `gaveUp()` says the wait is pointless (the process exited).
 */
export async function waitForPoller(
  client: Client,
  namespace: string,
  taskQueue: string,
  pid: number,
  timeoutMs = 60_000,
  gaveUp: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gaveUp()) throw new Error(`stopped waiting for worker ${pid} to poll ${taskQueue}`);
    const answer = await client.workflowService.describeTaskQueue({
      namespace,
      taskQueue: { name: taskQueue, kind: 1 },
      taskQueueType: 1,
    });
    if ((answer.pollers ?? []).some((poller) => poller.identity?.startsWith(`${pid}@`))) return;
    if (Date.now() > deadline) throw new Error(`worker ${pid} did not poll ${taskQueue} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
