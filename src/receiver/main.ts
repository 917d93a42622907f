/**
 * Runs the CI callback receiver until SIGINT/SIGTERM: `npm run receiver -- --port 8787`. Everything else comes from
 * the environment; `--help` lists it (and docs/receiver.md explains it).
 */
import { hostname } from 'node:os';
import { closeOnShutdownSignal, exitOnStartFailure, helpRequested } from '../config/process-entry';
import { tracingClientInterceptors } from '../observability/client-tracing';
import { PortInUseError } from '../shared/listen';
import { startTracing } from '../observability/tracing';
import { loadReceiverConfig, RECEIVER_HELP } from './config';
import { createJsonLogger } from './logger';
import { RECEIVER_LISTENERS, startReceiver } from './server';
import { createTemporalClientFactory } from './temporal';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (helpRequested(argv)) return void process.stdout.write(RECEIVER_HELP);
  const { temporal, ...config } = loadReceiverConfig(process.env, argv);
  const logger = createJsonLogger();
  // OTLP export when the standard OTEL_* variables ask for it; off otherwise.
  const tracing = startTracing({ serviceName: 'ci-asr-receiver' });
  const receiver = await startReceiver({
    ...config,
    logger,
    temporal: createTemporalClientFactory({
      ...temporal,
      clientOptions: {
        identity: `ci-callback-receiver@${hostname()}`,
        interceptors: tracingClientInterceptors(tracing),
      },
    }),
  });
  closeOnShutdownSignal(async () => {
    await receiver.close();
    await tracing.shutdown();
  }, logger);
  // The receiver serves while Temporal is down (callbacks get 503); say so once at start.
  const health = await fetch(`${receiver.adminUrl}/healthz`).catch(() => undefined);
  if (health?.status !== 200) logger.warn('Temporal is not reachable yet; callbacks are answered 503 until it is');
}

/** The setting that moves each listener, for the one-line error of a port clash. */
const PORT_SETTINGS: Record<string, string> = {
  [RECEIVER_LISTENERS.callbacks]: '--port or RECEIVER_PORT',
  [RECEIVER_LISTENERS.admin]: 'RECEIVER_ADMIN_PORT',
};

main().catch((err: unknown) =>
  exitOnStartFailure(err instanceof PortInUseError ? err.withSetting(PORT_SETTINGS[err.listener]) : err),
);
