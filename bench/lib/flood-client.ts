/**
 * A flooding client in its own process, so the flood does not share the event loop of the receiver and worker it
 * measures. Reads `{ url, bodies, concurrency }` as JSON on stdin, floods until stdin's end is followed by SIGTERM,
 * then prints `{ requests, statuses }` as one JSON line on stdout.
 */
interface FloodJob {
  url: string;
  bodies: { body: string; contentType: string }[];
  concurrency: number;
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as FloodJob;
  const statuses: Record<string, number> = {};
  let requests = 0;
  let stopping = false;
  process.once('SIGTERM', () => (stopping = true));
  const lane = async (): Promise<void> => {
    while (!stopping) {
      const { body, contentType } = job.bodies[requests++ % job.bodies.length]!;
      try {
        const res = await fetch(job.url, { method: 'POST', headers: { 'content-type': contentType }, body });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      } catch {
        statuses.error = (statuses.error ?? 0) + 1;
      }
    }
  };
  process.stdout.write('ready\n');
  await Promise.all(Array.from({ length: job.concurrency }, lane));
  process.stdout.write(`${JSON.stringify({ requests, statuses })}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
