/**
 * `temporal-tencent-ci-asr/workflows`: the workflows, for a worker's `workflowsPath` module
 * (`export * from 'temporal-tencent-ci-asr/workflows';`) and for parent workflows, and the message definitions
 * (signals, queries, updates) their senders import. Only sandbox-safe code is reachable from here; the input and
 * result types are in the main entry (`import type`).
 */
export { transcribeMedia } from './transcribe-media/workflow';
export { transcribeBatch } from './transcribe-batch/workflow';
export { transcribeBatchItem } from './transcribe-batch/item';
export {
  batchItemDoneSignal,
  batchProgressQuery,
  ciCallbackSignal,
  ciCallbackUpdate,
  transcriptionStatusQuery,
} from './messages';
export type { CallbackAck, CiCallbackSignal } from './messages';
