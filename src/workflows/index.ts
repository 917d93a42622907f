/**
 * Workflow entry point for `workflowsPath` / `bundleWorkflowCode`, and the message definitions senders import.
 * Only sandbox-safe code is reachable from here.
 */
export { transcribeMedia } from './transcribe-media/workflow';
export { transcribeBatch } from './transcribe-batch/workflow';
export { transcribeBatchItem } from './transcribe-batch/item';
export type { TranscribeBatchItemInput } from './transcribe-batch/item';
export type { TranscribeMediaContinuation } from './transcribe-media/workflow';
export type { TranscribeMediaInput, MediaSource, RecognitionSettings } from './transcribe-media/input';
export { ciCallbackSignal, ciCallbackUpdate, transcriptionStatusQuery } from './messages';
export type {
  CallbackAck,
  CallbackRefusal,
  CiCallbackSignal,
  TranscriptionStatus,
  TranscriptionPhase,
} from './messages';
export { batchItemDoneSignal, batchProgressQuery } from './messages';
export type {
  TranscribeBatchInput,
  TranscribeBatchResult,
  BatchProgress,
  BatchSource,
  BatchItemOutcome,
  BatchItemRef,
  BatchContinuation,
} from './transcribe-batch/types';
