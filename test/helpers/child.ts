import { spawn } from 'node:child_process';

/** Exit code and combined output of a child process. */
export interface ChildResult {
  status: number | null;
  output: string;
}

/**
 * Runs a command to its end without blocking this process's event loop (unlike `spawnSync`), so servers and workers
 * running in the test process keep serving the child. Killed after `timeoutMs`.
 */
export async function runChild(
  command: string,
  args: readonly string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
  cwd?: string,
): Promise<ChildResult> {
  const child = spawn(command, args, { env, timeout: timeoutMs, cwd });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { status, output };
}
