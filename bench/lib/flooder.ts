import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const FLOOD_CLIENT = resolve(__dirname, 'flood-client.ts');

/** A running flood client process; `stop` ends it and resolves to what it sent and how it was answered. */
export interface Flooder {
  stop(): Promise<{ requests: number; statuses: Record<string, number> }>;
}

/** Starts `bench/lib/flood-client.ts` in its own process and resolves once it floods. */
export async function startFlooder(job: {
  url: string;
  bodies: { body: string; contentType: string }[];
  concurrency: number;
}): Promise<Flooder> {
  const child = spawn(process.execPath, ['--import', 'tsx', FLOOD_CLIENT], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  const ready = new Promise<void>((resolveReady, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.startsWith('ready\n')) resolveReady();
    });
    child.once('exit', (code) => reject(new Error(`flood client exited with ${code}`)));
  });
  child.stdin.end(JSON.stringify(job));
  await ready;
  return {
    stop: () =>
      new Promise((resolveStop, reject) => {
        child.removeAllListeners('exit');
        child.once('exit', () => {
          const last = output.trim().split('\n').pop() ?? '';
          try {
            resolveStop(JSON.parse(last) as { requests: number; statuses: Record<string, number> });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
        child.kill('SIGTERM');
      }),
  };
}
