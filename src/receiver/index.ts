/** The CI callback receiver: authenticated CI job notifications become `ciCallbackSignal` signals (docs/receiver.md). */
export type { ReceiverOptions, RunningReceiver } from './server';
export { startReceiver } from './server';
export type { ReceiverConfig } from './config';
export { loadReceiverConfig } from './config';
export { ConfigError } from '../config/reader';
export type { TemporalClientFactoryOptions } from './temporal';
export { createTemporalClientFactory } from './temporal';
export type { LogFields, ReceiverLogger } from './logger';
export { createJsonLogger, silentLogger } from './logger';
export { QUEUE_CALLBACK_PATH, queueCallbackUrl } from './queue-token';
