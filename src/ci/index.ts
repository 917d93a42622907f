/**
 * `temporal-tencent-ci-asr/ci`: the Tencent CI ASR client, the COS object store it pairs with, and transcript
 * parsing and rendering. Usable without Temporal.
 */
export { CiAsrClient } from './asr-client';
export type { CiAsrClientOptions } from './asr-client';
export { CiError, CiResponseError, CiValidationError } from './errors';
export type { CiAction, CiValidationIssue } from './errors';
export { createTencentClients } from '../tencent/clients';
export type { TencentClients, TencentClientsConfig } from '../tencent/clients';
export {
  CredentialsUnavailableError,
  fileCredentials,
  parseCredentialsFile,
  refreshingCredentials,
  staticCredentials,
} from './credentials';
export type { CredentialProvider, RefreshOptions, TencentCredentials } from './credentials';
export { formatCiTime, parseCiTime } from './ci-time';
export { CI_JOB_STATES, isCiJobState, isTerminalCiJobState, TERMINAL_CI_JOB_STATES } from './job-state';
export type { CiJobState } from './job-state';
export type { ListAsrJobsFilter } from './list-filter';
export { normalizeJob, parseGetResponse, parseListResponse, parseSubmitResponse } from './normalize';
export * from './result';
export * from './types';
export { submitRequestIssues, validateJobIds, validateListFilter, validateSubmitRequest } from './validate';
export { submitRequestXml } from './xml-request';
export { CosObjectStore } from '../cos/object-store';
export type { CosCallOptions, CosListPage, CosListParams, CosObjectHead, CosObjectSummary } from '../cos/object-store';
export { cosUri, parseCosUri } from '../cos/ref';
export type { CosObjectRef } from '../cos/ref';
export { TencentCiAsrError } from '../shared/errors';
export * from './setup/index';
