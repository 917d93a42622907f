import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TranscriptionWorkerOptions } from '../src/worker-setup/transcription-worker';
import { createQuotaWorker } from '../src/plugin/quota-worker';
import { bundleTranscriptionWorkflows, createTranscriptionWorker } from '../src/worker-setup/transcription-worker';
import type { LocalNexus, LocalNexusOptions } from './local-nexus';
import { offerNexus } from './local-nexus';
import type { LocalServices, LocalServicesOptions } from './local-services';
import { startLocalServices } from './local-services';
import type { RunningWorker } from './running-worker';
import { runWorker } from './running-worker';
import { requireTemporalCli, TEMPORAL_CLI_INSTALL_HINT, TemporalCliError } from './temporal-cli';
import { startTemporalDevServer, TemporalDevServerExitedError } from './temporal-dev-server';
import { TencentCiAsrError } from '../src/shared/errors';

/** Where the stack's Temporal server comes from, and how it is started when the stack starts one. */
export interface LocalTemporalOptions {
  /** Use this running server (`host:port`) instead of starting one. */
  address?: string;
  /** Namespace; default `default`. */
  namespace?: string;
  /** Frontend port of a started server; default a free port. */
  port?: number;
  /** Serve the Web UI of a started server on this port; default headless. */
  uiPort?: number;
  /** SQLite file a started server keeps its state in (survives restarts); default in memory. */
  dbFilename?: string;
  /** Run a started server in its own process group (see `TemporalDevServerOptions.ownProcessGroup`). */
  ownProcessGroup?: boolean;
}

/** Options of {@link startLocalStack}. */
export interface LocalStackOptions {
  temporal?: LocalTemporalOptions;
  /** Emulator, receiver and secrets settings (see {@link startLocalServices}). */
  services?: Omit<LocalServicesOptions, 'temporal'>;
  /** Task queue the workers poll; default a unique `asr-local-<uuid>`. */
  taskQueue?: string;
  /** In-process workers started with the stack; default 1 (0 = none, e.g. when `src/worker.ts` runs as a child). */
  workers?: number;
  /** Prebuilt workflow bundle; built once when absent and workers are started. */
  workflowBundle?: { code: string };
  /** Extra worker options (concurrency, cache size...). */
  workerOptions?: TranscriptionWorkerOptions['workerOptions'];
  /** Environment searched for the `temporal` CLI (`TEMPORAL_CLI_PATH`, `PATH`); default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Offer the `transcription` Nexus service: the workers serve it, and a callers' namespace and an endpoint targeting
   * the stack's namespace and task queue are created (see `offerNexus`). Default off.
   */
  nexus?: boolean | LocalNexusOptions;
}

/** Everything a local run needs: Temporal, the CI emulator, the callback receiver, a client and workers. */
export interface LocalStack {
  temporal: { address: string; namespace: string; uiUrl?: string };
  client: Client;
  /** Native connection for workers created by the caller. */
  connection: NativeConnection;
  services: LocalServices;
  taskQueue: string;
  /** The workers started with the stack. */
  workers: RunningWorker[];
  /** The Nexus endpoint and callers' namespace, when the stack offers the service. */
  nexus?: LocalNexus;
  /** Environment variables that run `src/worker.ts` as a child process against this stack. */
  workerEnv: Record<string, string>;
  /** Starts one more in-process worker on the task queue (stopped with the stack). */
  startWorker(): Promise<RunningWorker>;
  /** Stops everything the stack started, in reverse order; carries on past failures, then throws {@link LocalStackStopError}. */
  stop(): Promise<void>;
}

/** Thrown by `stop()` when some parts failed to stop; the others were still stopped. */
export class LocalStackStopError extends TencentCiAsrError {
  override readonly name = 'LocalStackStopError';

  constructor(readonly failures: unknown[]) {
    super(`${failures.length} part(s) of the local stack failed to stop`, { cause: failures[0] });
  }
}

type Cleanup = () => Promise<void>;

/** Runs cleanups newest first, all of them, then throws the first failure. */
async function runCleanups(cleanups: Cleanup[]): Promise<void> {
  const failures: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw new LocalStackStopError(failures);
}

/** The first line `temporal` printed that says something, for a one-line error. */
function firstLine(output: string): string | undefined {
  return output
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '');
}

/**
 * The given server, else a dev server from the `temporal` CLI. No silent download of a server binary: without the CLI
 * (or with a `TEMPORAL_CLI_PATH` that starts none) this throws a {@link TemporalCliError} saying how to install it.
 */
async function acquireTemporal(
  options: LocalTemporalOptions,
  env: NodeJS.ProcessEnv,
  cleanups: Cleanup[],
): Promise<LocalStack['temporal']> {
  const namespace = options.namespace ?? 'default';
  if (options.address) return { address: options.address, namespace };
  const cli = requireTemporalCli(env);
  try {
    const { ownProcessGroup } = options;
    const server = await startTemporalDevServer({
      executable: cli,
      namespace,
      ownProcessGroup,
      ...pickServer(options),
    });
    cleanups.push(() => server.stop());
    return { address: server.address, namespace, uiUrl: server.uiUrl };
  } catch (err) {
    if (!(err instanceof TemporalDevServerExitedError)) throw err;
    const said = firstLine(err.output);
    throw new TemporalCliError(
      `${cli} exited without starting a Temporal dev server${said ? ` (${said})` : ''}. Is it the Temporal CLI? ` +
        TEMPORAL_CLI_INSTALL_HINT,
      { cause: err },
    );
  }
}

function pickServer(options: LocalTemporalOptions): Pick<LocalTemporalOptions, 'port' | 'uiPort' | 'dbFilename'> {
  return { port: options.port, uiPort: options.uiPort, dbFilename: options.dbFilename };
}

/** Variables `loadWorkerConfig` reads, pointing a `src/worker.ts` process at this stack. */
function workerEnvFor(temporal: LocalStack['temporal'], services: LocalServices, taskQueue: string) {
  const { tencent, callbacks } = services.workerSettings;
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    CI_BUCKET: tencent.bucket,
    CI_REGION: tencent.region,
    CI_ENDPOINT: tencent.endpoint ?? '',
    CI_REQUEST_TIMEOUT_MS: String(tencent.requestTimeoutMs),
  };
  if (tencent.credentialsFile) env.TENCENT_CREDENTIALS_FILE = tencent.credentialsFile;
  else Object.assign(env, { TENCENT_SECRET_ID: tencent.secretId ?? '', TENCENT_SECRET_KEY: tencent.secretKey ?? '' });
  if (tencent.securityToken) env.TENCENT_SECURITY_TOKEN = tencent.securityToken;
  if (callbacks) {
    env.CALLBACK_PUBLIC_BASE_URL = callbacks.publicBaseUrl;
    env.CALLBACK_SECRET = callbacks.secret;
  }
  return env;
}

/** Variables of a stack that offers Nexus: its worker serves the service, doctor checks the endpoint. */
function nexusEnv(nexus: LocalNexus): Record<string, string> {
  return { TENCENT_CI_ASR_NEXUS: '1', TENCENT_CI_ASR_NEXUS_ENDPOINT: nexus.endpoint };
}

/**
 * Starts a complete local stack: a Temporal server (see {@link LocalTemporalOptions}), the CI emulator and callback
 * receiver, a client, and `workers` in-process workers. On any failure it stops what it had started and rethrows.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const cleanups: Cleanup[] = [];
  try {
    const temporal = await acquireTemporal(options.temporal ?? {}, options.env ?? process.env, cleanups);
    const services = await startLocalServices({ ...options.services, temporal });
    cleanups.push(() => services.stop());
    const clientConnection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => clientConnection.close());
    const connection = await NativeConnection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection: clientConnection, namespace: temporal.namespace });
    const taskQueue = options.taskQueue ?? `asr-local-${randomUUID()}`;
    let bundle = options.workflowBundle;
    const workers: RunningWorker[] = [];
    const startWorker = async (): Promise<RunningWorker> => {
      bundle ??= await bundleTranscriptionWorkflows();
      const local = runWorker(
        await createTranscriptionWorker({
          connection,
          namespace: temporal.namespace,
          taskQueue,
          // The quota worker below runs lone runs' submits as well.
          deps: { ...services.deps, sharedSubmitQueue: true },
          workflowBundle: bundle,
          workerOptions: options.workerOptions,
          nexus: options.nexus !== undefined && options.nexus !== false,
        }),
        await createQuotaWorker({ connection, namespace: temporal.namespace, taskQueue, deps: services.deps }),
      );
      workers.push(local);
      cleanups.push(() => local.stop());
      return local;
    };
    for (let i = 0; i < (options.workers ?? 1); i++) await startWorker();
    const nexus = options.nexus
      ? await offerNexus(
          clientConnection,
          { namespace: temporal.namespace, taskQueue },
          options.nexus === true ? {} : options.nexus,
        )
      : undefined;
    return {
      temporal,
      client,
      connection,
      services,
      taskQueue,
      workers,
      ...(nexus ? { nexus } : {}),
      workerEnv: { ...workerEnvFor(temporal, services, taskQueue), ...(nexus ? nexusEnv(nexus) : {}) },
      startWorker,
      stop: () => runCleanups(cleanups),
    };
  } catch (err) {
    await runCleanups(cleanups).catch(() => undefined);
    throw err;
  }
}
