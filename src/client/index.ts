/**
 * Client helpers: start and follow this package's workflows from code outside Temporal (services, scripts, the CLI).
 */
export { InvalidWorkflowInputError } from './errors';
export type { StartWorkflowOptions } from './options';
export {
  getTranscriptionHandle,
  startTranscription,
  transcribe,
  TRANSCRIBE_MEDIA_WORKFLOW,
  validateTranscriptionInput,
} from './transcription';
export type { TranscriptionHandle } from './transcription';
export { batchInputProblems } from '../workflows/transcribe-batch/validate';
export { getBatchHandle, startBatch, TRANSCRIBE_BATCH_WORKFLOW, transcribeBatchAndWait } from './batch';
export type { BatchHandle, TranscribeBatchWorkflow } from './batch';
export { batchProgressQuery, ciCallbackSignal, transcriptionStatusQuery } from '../workflows/messages';
export type { CiCallbackSignal, TranscriptionPhase, TranscriptionStatus } from '../workflows/messages';
export type { TranscriptionResult, ObjectLocation } from '../contract';
export type { MediaSource, RecognitionSettings, TranscribeMediaInput } from '../workflows/transcribe-media/input';
export type { BatchProgress, TranscribeBatchInput, TranscribeBatchResult } from '../workflows/transcribe-batch/types';
