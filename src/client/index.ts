/**
 * `temporal-tencent-ci-asr/client`: start and follow this package's workflows from code outside Temporal (services,
 * scripts, the CLI). Light: loads neither the Temporal worker nor the COS SDK. The input, result and status types are
 * in the main entry (`import type { TranscribeMediaInput } from 'temporal-tencent-ci-asr'`).
 */
export { InvalidWorkflowInputError, MissingSearchAttributesError } from './errors';
export type { StartWorkflowOptions } from './options';
export { TencentCiAsrClientPlugin } from './plugin';
export type { TencentCiAsrClientPluginOptions } from './plugin';
export {
  executeTranscription,
  getTranscriptionHandle,
  startTranscription,
  TRANSCRIBE_MEDIA_WORKFLOW,
  validateTranscriptionInput,
} from './transcription';
export type { TranscriptionHandle } from './transcription';
export { executeBatch, getBatchHandle, startBatch, TRANSCRIBE_BATCH_WORKFLOW, validateBatchInput } from './batch';
export type { BatchHandle } from './batch';
