/** Public API of the CI ASR client. */
export { CiAsrClient } from './client';
export type { AsrJobPage, CancelAsrJobResult, CiAsrClientOptions, CiCallOptions, GetAsrJobsResult } from './client';
export { CiError, CiResponseError, CiValidationError } from './errors';
export type { CiAction, CiValidationIssue } from './errors';
export { createTencentClients } from './factory';
export type { TencentClients, TencentClientsConfig } from './factory';
export { formatCiTime, parseCiTime } from './ci-time';
export type { ListAsrJobsFilter } from './list-filter';
export { normalizeJob, parseGetResponse, parseListResponse, parseSubmitResponse } from './normalize';
export * from './types';
export { submitRequestIssues, validateJobIds, validateListFilter, validateSubmitRequest } from './validate';
export { submitRequestXml } from './xml-request';
export * from './setup/index';
