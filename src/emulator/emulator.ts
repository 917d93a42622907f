import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackDispatcher } from './callbacks';
import { emptyCounters, snapshotCounters } from './counters';
import { mergeFaults, noFaults } from './faults';
import type { FaultConfig } from './faults';
import type { EmulatorOptions, RunningEmulator } from './index';
import { JobEngine } from './job-engine';
import type { UrlResolver } from './job-output';
import { ObjectStore } from './object-store';
import { DebouncedWriter, decodeObject, encodeObjects, loadState, saveState } from './persistence';
import { createRequestHandler } from './server';

const STATE_WRITE_DELAY_MS = 50;

const VIRTUAL_COS_HOST = /^([a-z0-9][a-z0-9-]*-\d+)\.cos\.[a-z0-9-]+\.myqcloud\.com(?::\d+)?$/i;

/** Input URLs naming an emulated object: a COS virtual-host URL, or the emulator's own URL (default bucket). */
function urlResolver(defaultBucket: string, emulatorHost: () => string): UrlResolver {
  return (url) => {
    const parsed = /^https?:\/\/([^/?#]+)\/([^?#]*)/i.exec(url);
    if (!parsed) return undefined;
    const [, host = '', path = ''] = parsed;
    let key: string;
    try {
      key = decodeURIComponent(path);
    } catch {
      return undefined;
    }
    const virtual = VIRTUAL_COS_HOST.exec(host);
    if (virtual) return { bucket: virtual[1]!, key };
    return host === emulatorHost() ? { bucket: defaultBucket, key } : undefined;
  };
}

/** Starts the CI ASR + COS emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const defaults = {
    bucket: options.defaultBucket ?? 'emulator-1250000000',
    region: options.defaultRegion ?? 'ap-guangzhou',
  };
  let counters = emptyCounters();
  let faults: FaultConfig = mergeFaults(noFaults(), options.faults ?? {});
  let address = '';
  const objects = new ObjectStore();
  const earlyJobs = new Set<string>();
  const callbacks = new CallbackDispatcher({
    counters: () => counters,
    faults: () => faults,
    timeoutMs: options.callbackTimeoutMs ?? 5000,
    retry: { attempts: 3, baseDelayMs: 200, ...options.callbackRetry },
  });
  const engine = new JobEngine({
    objects,
    counters: () => counters,
    faults: () => faults,
    timings: { queuedMs: options.timings?.queuedMs ?? 200, runningMs: options.timings?.runningMs ?? 500 },
    concurrency: options.queueConcurrency ?? 10,
    clock: Date.now,
    resolveUrl: urlResolver(defaults.bucket, () => address),
    downloadTimeoutMs: 10_000,
    onFinished: (job) => {
      if (!earlyJobs.delete(job.jobId)) callbacks.notify(job);
    },
    onChange: () => writer?.touch(),
  });
  const stateFile = options.stateFile;
  const writer = stateFile
    ? new DebouncedWriter(
        () => saveState(stateFile, { version: 1, jobs: engine.all(), objects: encodeObjects(objects.entries()) }),
        STATE_WRITE_DELAY_MS,
      )
    : undefined;
  objects.onChange = () => writer?.touch();
  const restored = stateFile ? loadState(stateFile) : undefined;
  for (const entry of restored?.objects ?? []) objects.restore(entry.bucket, entry.key, decodeObject(entry.object));
  engine.restore(restored?.jobs ?? []);

  const setFaults = (patch: Partial<FaultConfig>): void => {
    faults = mergeFaults(faults, patch);
    if (faults.callbackReorderWindow <= 1 || patch.callbackReorderWindow !== undefined) callbacks.flush();
  };
  const server = createServer(
    createRequestHandler({
      engine,
      callbacks,
      objects,
      counters: () => counters,
      resetCounters: () => (counters = emptyCounters()),
      faults: () => faults,
      setFaults,
      setLoseSubmitResponses: (remaining) => (faults = { ...faults, loseSubmitResponses: remaining }),
      templates: options.templates ?? {},
      earlyJobs,
      credentials: options.credentials,
      defaults,
      clock: Date.now,
    }),
  );
  server.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const { port, address: ip } = server.address() as AddressInfo;
  address = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;

  return {
    url: `http://${address}`,
    setFaults,
    counters: () => snapshotCounters(counters),
    putObject: (bucket, key, body) => void objects.put(bucket, key, Buffer.from(body)),
    close: async () => {
      engine.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await callbacks.close();
      writer?.flush();
    },
  };
}
