/**
 * Runs the CI callback receiver until SIGINT/SIGTERM: `npm run receiver -- --port 8787`. Everything else comes from
 * the environment: CALLBACK_SECRET (required), CALLBACK_SECRET_PREVIOUS, RECEIVER_HOST, RECEIVER_PORT,
 * RECEIVER_MAX_BODY_BYTES, RECEIVER_REQUEST_TIMEOUT_MS, RECEIVER_TEMPORAL_TIMEOUT_MS and the Temporal client variables
 * (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*). See docs/receiver.md.
 */
import { hostname } from 'node:os';
import { startTracing } from '../observability/tracing';
import { tracingClientInterceptors } from '../observability/client-tracing';
import { loadReceiverConfig } from './config';
import { createJsonLogger } from './logger';
import { startReceiver } from './server';
import { createTemporalClientFactory } from './temporal';

async function main(): Promise<void> {
  const config = loadReceiverConfig(process.env, process.argv.slice(2));
  const logger = createJsonLogger();
  // OTLP export when the standard OTEL_* variables ask for it; off otherwise.
  const tracing = startTracing({ serviceName: 'ci-asr-receiver' });
  const receiver = await startReceiver({
    host: config.host,
    port: config.port,
    secrets: config.secrets,
    maxBodyBytes: config.maxBodyBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    temporalTimeoutMs: config.temporalTimeoutMs,
    logger,
    temporal: createTemporalClientFactory({
      ...config.temporal,
      clientOptions: {
        identity: `ci-callback-receiver@${hostname()}`,
        interceptors: tracingClientInterceptors(tracing),
      },
    }),
  });
  // The receiver serves while Temporal is down (callbacks get 503); say so once at start.
  const health = await fetch(`${receiver.url}/healthz`).catch(() => undefined);
  if (health?.status !== 200) logger.warn('Temporal is not reachable yet; callbacks are answered 503 until it is');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info('shutting down', { signal });
    receiver
      .close()
      .then(() => tracing.shutdown())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error('shutdown failed', { error: err instanceof Error ? err.name : typeof err });
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', stop).once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
