/**
 * `temporal-tencent-ci-asr/nexus`: the contract of the `transcription` Nexus service (service and operation names,
 * input and output types), for callers in other namespaces. Light and sandbox-safe: it loads `nexus-rpc` only, so
 * caller workflows import it. The worker side is `new TencentCiAsrPlugin({ nexus: true })` (docs/nexus.md).
 */
export { transcriptionService, TranscriptionOperation, TRANSCRIPTION_SERVICE } from './contract';
export { DEFAULT_NEXUS_ENDPOINT } from './contract';
export type { TranscriptionService } from './contract';
export type { TranscriptionResult } from '../contract';
export type { TranscribeMediaInput } from '../workflows/transcribe-media/input';
export type { TranscribeBatchInput, TranscribeBatchResult } from '../workflows/transcribe-batch/types';
