import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallbackDispatcher } from './callbacks';
import type { EmulatorCounters } from './counters';
import { emptyCounters, snapshotCounters } from './counters';
import type { FaultConfig } from './faults';
import { mergeFaults, noFaults } from './faults';
import type { EmulatorOptions, RunningEmulator } from './options';
import { JobEngine } from './job-engine';
import type { UrlResolver } from './job-output';
import { ObjectStore } from './object-store';
import { DebouncedWriter, decodeObject, encodeObjects, loadState, saveState } from './persistence';
import type { ServerContext } from './server';
import { createRequestHandler } from './server';
import { SetupState } from './setup/state';
import { DEFAULT_CLOCK_SKEW_SECONDS } from './cos-signature';
import { TokenStore } from './sts';
import { ApiRateLimiter } from './rate-limit';
import { listenOn } from '../shared/listen';
import type { EmulatorVariants } from './variants';
import { DEFAULT_VARIANTS } from './variants';

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

/** The emulator's state and services, wired together (one per `startEmulator`). */
class Emulator {
  counters: EmulatorCounters = emptyCounters();
  faults: FaultConfig;
  address = '';
  readonly defaults: { bucket: string; region: string };
  readonly objects = new ObjectStore();
  readonly earlyJobs = new Set<string>();
  readonly callbacks: CallbackDispatcher;
  readonly engine: JobEngine;
  readonly setup: SetupState;
  readonly tokens: TokenStore;
  private readonly writer: DebouncedWriter | undefined;

  private readonly rateLimiter: ApiRateLimiter | undefined;
  readonly variants: EmulatorVariants;

  constructor(private readonly options: EmulatorOptions) {
    this.variants = { ...DEFAULT_VARIANTS, ...options.variants };
    const limit = options.apiRateLimit;
    this.rateLimiter = limit ? new ApiRateLimiter(limit.requestsPerSecond, limit.burst) : undefined;
    this.defaults = {
      bucket: options.defaultBucket ?? 'emulator-1250000000',
      region: options.defaultRegion ?? 'ap-guangzhou',
    };
    this.faults = mergeFaults(noFaults(), options.faults ?? {});
    this.callbacks = new CallbackDispatcher({
      counters: () => this.counters,
      faults: () => this.faults,
      timeoutMs: options.callbackTimeoutMs ?? 5000,
      variants: this.variants,
      retry: { attempts: 3, baseDelayMs: 200, ...options.callbackRetry },
    });
    this.setup = new SetupState({
      boundBuckets: options.asrBuckets,
      defaultRegion: this.defaults.region,
      maxConcurrent: options.queueConcurrency ?? 10,
      templates: { ...options.templates },
      clock: Date.now,
      onChange: () => undefined,
      unboundCode: this.variants.unboundBucketCode,
    });
    // The default bucket is listed by `GET /asrbucket` from the start (when every bucket counts as bound), so a
    // fresh local stack passes `transcribe-asr doctor` before any request named the bucket.
    this.setup.seen(this.defaults.bucket, this.defaults.region);
    this.tokens = new TokenStore(options.credentials, Date.now);
    for (const issued of options.temporaryCredentials ?? []) this.tokens.add(issued);
    for (const q of options.queues ?? []) this.setup.addQueue(q.bucket ?? this.defaults.bucket, q.queueId, q.name);
    this.engine = new JobEngine({
      objects: this.objects,
      counters: () => this.counters,
      // Queues paused through `PUT /asrqueue/<id>` hold jobs exactly like the `pausedQueues` fault.
      faults: () => ({ ...this.faults, pausedQueues: this.pausedQueues() }),
      timings: { queuedMs: options.timings?.queuedMs ?? 200, runningMs: options.timings?.runningMs ?? 500 },
      concurrency: options.queueConcurrency ?? 10,
      clock: Date.now,
      resolveUrl: urlResolver(this.defaults.bucket, () => this.address),
      downloadTimeoutMs: 10_000,
      undecodableMediaCode: this.variants.undecodableMediaCode,
      onFinished: (job) => {
        if (!this.earlyJobs.delete(job.jobId)) this.callbacks.notify(this.setup.withCallback(job));
      },
      onChange: () => this.writer?.touch(),
    });
    const stateFile = options.stateFile;
    this.writer = stateFile ? new DebouncedWriter(() => this.save(stateFile), STATE_WRITE_DELAY_MS) : undefined;
    this.objects.onChange = () => this.writer?.touch();
  }

  /** Loads the state file, when configured, and resumes its jobs. */
  restore(): void {
    const restored = this.options.stateFile ? loadState(this.options.stateFile) : undefined;
    for (const entry of restored?.objects ?? []) {
      this.objects.restore(entry.bucket, entry.key, decodeObject(entry.object));
    }
    // Queues are not persisted; the ones restored jobs name are known again, so they can be listed and reused.
    for (const job of restored?.jobs ?? []) this.setup.addQueue(job.bucket, job.queueId);
    this.engine.restore(restored?.jobs ?? []);
    this.engine.applyPausedQueues(this.pausedQueues());
  }

  /** Queues paused by the fault config or through the queue API. */
  private pausedQueues(): string[] {
    return [...new Set([...this.faults.pausedQueues, ...this.setup.pausedQueueIds()])];
  }

  /** Applies a fault patch; a changed reorder window releases the held callbacks. */
  setFaults(patch: Partial<FaultConfig>): void {
    this.faults = mergeFaults(this.faults, patch);
    if (patch.callbackReorderWindow !== undefined) this.callbacks.flush();
    if (patch.pausedQueues !== undefined) this.engine.applyPausedQueues(this.pausedQueues());
  }

  /** What request handlers see. */
  context(): ServerContext {
    return {
      engine: this.engine,
      callbacks: this.callbacks,
      objects: this.objects,
      counters: () => this.counters,
      resetCounters: () => (this.counters = emptyCounters()),
      faults: () => this.faults,
      setFaults: (patch) => this.setFaults(patch),
      setLoseSubmitResponses: (remaining) => (this.faults = { ...this.faults, loseSubmitResponses: remaining }),
      templates: this.setup.templates,
      setup: this.setup,
      queuesChanged: () => this.engine.applyPausedQueues(this.pausedQueues()),
      earlyJobs: this.earlyJobs,
      tokens: this.tokens,
      skewSeconds: this.options.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS,
      issueCredentials: (seconds) => this.tokens.issue(seconds),
      addQueue: (bucket, queueId) => this.setup.addQueue(bucket ?? this.defaults.bucket, queueId).queueId,
      defaults: this.defaults,
      clock: Date.now,
      rateLimiter: this.rateLimiter,
      variants: this.variants,
    };
  }

  /** Stops timers and callbacks and writes pending state. */
  async close(): Promise<void> {
    this.engine.close();
    await this.callbacks.close();
    this.writer?.flush();
  }

  private save(stateFile: string): void {
    saveState(stateFile, { version: 1, jobs: this.engine.all(), objects: encodeObjects(this.objects.entries()) });
  }
}

/** The emulator's listener, as a port clash (`PortInUseError`) names it. */
export const EMULATOR_LISTENER = 'CI emulator';

/** Starts the CI ASR + COS emulator; resolves once it listens (a taken port rejects with `PortInUseError`). */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const emulator = new Emulator(options);
  emulator.restore();
  const server = createServer(createRequestHandler(emulator.context()));
  // HTTPS through the proxy would need TLS interception; say so instead of dropping the connection.
  server.on('connect', (_req, socket) => {
    socket.end('HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n');
  });
  let bound: AddressInfo;
  try {
    bound = await listenOn(server, options.port ?? 0, options.host ?? '127.0.0.1', EMULATOR_LISTENER);
  } catch (err) {
    await emulator.close();
    throw err;
  }
  const { port, address: ip } = bound;
  emulator.address = `${ip.includes(':') ? `[${ip}]` : ip}:${port}`;
  return {
    url: `http://${emulator.address}`,
    setFaults: (patch) => emulator.setFaults(patch),
    counters: () => snapshotCounters(emulator.counters),
    putObject: (bucket, key, body) => void emulator.objects.put(bucket, key, Buffer.from(body)),
    issueCredentials: (durationSeconds = 1800) => emulator.tokens.issue(durationSeconds),
    addQueue: (bucket, queueId) => emulator.setup.addQueue(bucket ?? emulator.defaults.bucket, queueId).queueId,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}
