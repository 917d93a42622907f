/**
 * `temporal-tencent-ci-asr/ci`: the Tencent CI ASR client and setup client, the COS object store they pair with,
 * credentials, errors, the public job types, and transcript parsing and rendering (text, SRT, WebVTT). Usable
 * without Temporal. The wire format (XML bodies, response parsing, request validation) stays inside the clients.
 */
export { CiAsrClient } from './asr-client';
export type { CiAsrClientOptions } from './asr-client';
export { CiError, CiResponseError, CiValidationError } from './errors';
export type { CiAction, CiValidationIssue } from './errors';
export { createTencentClients } from '../tencent/clients';
export type { TencentClients, TencentClientsConfig } from '../tencent/clients';
export { CredentialsUnavailableError, fileCredentials, refreshingCredentials, staticCredentials } from './credentials';
export type { CredentialProvider, RefreshOptions, TencentCredentials } from './credentials';
export { CI_JOB_STATES, isCiJobState, isTerminalCiJobState, TERMINAL_CI_JOB_STATES } from './job-state';
export type { CiJobState } from './job-state';
export type { ListAsrJobsFilter } from './list-filter';
export * from './result';
export * from './types';
export { CosObjectStore } from '../cos/object-store';
export type { CosCallOptions, CosListPage, CosListParams, CosObjectHead, CosObjectSummary } from '../cos/object-store';
export { cosUri, parseCosUri } from '../cos/ref';
export type { CosObjectRef } from '../cos/ref';
export { TencentCiAsrError } from '../shared/errors';
export { CiSetupClient } from './setup/client';
export type { CiSetupClientOptions } from './setup/client';
export type * from './setup/types';
