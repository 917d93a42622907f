import type { CiJobState } from '../ci/job-state';
import type { ListAsrJobsFilter } from '../ci/list-filter';
import type { AsrJob, CiCallOptions, SubmitAsrJobRequest, SubmitCallOptions } from '../ci/types';
import type { JobDefaults } from './submit/request';

/** The CI job API the activities use, for one bucket's CI host (satisfied by the package's `CiAsrClient`). */
export interface CiJobsApi {
  /** `onSend` is called for every HTTP request the submit sends; a client that never calls it proves nothing. */
  submit(request: SubmitAsrJobRequest, options?: SubmitCallOptions): Promise<AsrJob>;
  get(jobIds: readonly string[], options?: CiCallOptions): Promise<{ jobs: AsrJob[]; nonExistentJobIds: string[] }>;
  list(filter: ListAsrJobsFilter, options?: CiCallOptions): Promise<{ jobs: AsrJob[]; nextToken?: string }>;
  cancel(
    jobId: string,
    options?: CiCallOptions,
  ): Promise<{ outcome: 'cancelled' | 'not-cancellable' | 'not-found'; state?: CiJobState }>;
}

/** An object's address in the SDK's parameter names. */
export interface ObjectRef {
  Bucket: string;
  Region: string;
  Key: string;
}

/** The COS object operations the activities use (satisfied by the package's `CosObjectStore`). */
export interface ObjectStoreApi {
  put(ref: ObjectRef, body: string | Buffer, contentType: string): Promise<void>;
  get(ref: ObjectRef): Promise<Buffer>;
  list(params: {
    Bucket: string;
    Region: string;
    Prefix?: string;
    Marker?: string;
    MaxKeys?: number;
  }): Promise<{ objects: { Key: string }[]; nextMarker?: string }>;
}

/** Everything the activities depend on; only the worker builds real ones from configuration. */
export interface ActivityDeps {
  /** CI client for the bucket a job runs on. */
  ciFor(target: { bucket: string; region: string }): CiJobsApi;
  objects: ObjectStoreApi;
  defaults: JobDefaults;
  /** Where CI should post callbacks, and the secret that signs their URLs; absent → poll only. */
  callbacks?: { publicBaseUrl: string; secret: string };
  /** A CI queue's `MaxConcurrent` (the bucket's first queue when `queueId` is absent); absent → not capped. */
  queueConcurrency?(target: { bucket: string; region: string; queueId?: string }): Promise<number | undefined>;
  /** Current time; injectable for tests. */
  now?: () => Date;
}

/**
 * What the activities run on: the dependencies and the worker's own choice of where lone runs submit. Set by the
 * plugin (true when it runs the CI quota worker, which serves those submits), never by users, so every worker of a
 * quota queue agrees. Default false: lone runs submit on the main task queue at once.
 */
export interface ActivityRuntime extends ActivityDeps {
  sharedSubmitQueue?: boolean;
}
