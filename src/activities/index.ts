/** Activities for Tencent CI ASR jobs: a factory over injected clients, and the types workflows exchange with it. */
export { createActivities } from './create-activities';
export type { Activities } from '../contract';
export type { ActivityDeps, CiJobsApi, ObjectRef, ObjectStoreApi } from './deps';
export type { JobDefaults } from './submit/request';
export * from '../contract/jobs';
