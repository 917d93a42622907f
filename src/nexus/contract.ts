import * as nexus from 'nexus-rpc';
import type { TranscriptionResult } from '../contract';
import type { TranscribeBatchInput, TranscribeBatchResult } from '../workflows/transcribe-batch/types';
import type { TranscribeMediaInput } from '../workflows/transcribe-media/input';

/** Name of the Nexus service, as callers in any language address it. */
export const TRANSCRIPTION_SERVICE = 'transcription';

/** Operation names of the `transcription` service, as callers in any language address them. */
export const TranscriptionOperation = {
  /** Input `TranscribeMediaInput`, output `TranscriptionResult`: one `transcribeMedia` run. */
  transcribe: 'transcribe',
  /** Input `TranscribeBatchInput`, output `TranscribeBatchResult`: one `transcribeBatch` run. */
  transcribeBatch: 'transcribeBatch',
} as const;

/** Name of the Nexus endpoint `npm run dev` creates, and the default `transcribe-asr doctor` checks when asked to. */
export const DEFAULT_NEXUS_ENDPOINT = 'tencent-ci-asr';

/**
 * The `transcription` Nexus service: its name and its operations' input and output types (the same JSON as the
 * workflows' own). Callers import it in workflow code (`createNexusServiceClient({ service, endpoint })`); it loads
 * nothing but `nexus-rpc`. A worker serves it with `new TencentCiAsrPlugin({ nexus: true, ... })`.
 */
export const transcriptionService = nexus.service(TRANSCRIPTION_SERVICE, {
  transcribe: nexus.operation<TranscribeMediaInput, TranscriptionResult>({ name: TranscriptionOperation.transcribe }),
  transcribeBatch: nexus.operation<TranscribeBatchInput, TranscribeBatchResult>({
    name: TranscriptionOperation.transcribeBatch,
  }),
});

/** The type of {@link transcriptionService}, for helpers that take the service definition. */
export type TranscriptionService = typeof transcriptionService;
