/**
 * `temporal-tencent-ci-asr/ci`: the Tencent CI ASR client, the COS object store it pairs with, and transcript
 * parsing and rendering. Usable without Temporal.
 */
export * from './ci';
export * from './ci/result';
export { CosObjectStore } from './cos/object-store';
export type { CosCallOptions, CosListPage, CosListParams, CosObjectHead, CosObjectSummary } from './cos/object-store';
export { cosUri, parseCosUri } from './cos/ref';
export type { CosObjectRef } from './cos/ref';
export { CI_JOB_STATES, isCiJobState, isTerminalCiJobState, TERMINAL_CI_JOB_STATES } from './ci/job-state';
export type { CiJobState } from './ci/job-state';
