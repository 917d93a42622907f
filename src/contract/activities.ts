import type {
  BatchItemOutcome,
  BatchManifestTarget,
  BatchSummary,
  DescribeBatchItemsInput,
  ListMediaPageInput,
  MediaPage,
} from './batch';
import type {
  CancelJobOutcome,
  CleanUpJobsInput,
  CleanupReport,
  JobCheck,
  JobRef,
  JobSnapshot,
  ObjectLocation,
  StoreResultInput,
  SubmitJobInput,
  SubmittedJob,
} from './jobs';

/**
 * The activities the package's workflows call, by name, as `proxyActivities<Activities>()` sees them. The worker side
 * (`createActivities`) is checked against it, so the two sides cannot drift apart without a compile error.
 *
 * **The upgrade rule.** A run in flight during an upgrade sends the new worker's activities the inputs its old
 * workflow code builds. So every activity accepts the inputs of the previous release's workflows: an input type only
 * gains fields, each new field optional with a default that keeps the old behaviour; no field is renamed, removed or
 * given a new meaning, and no activity is removed or renamed while a release that calls it may have runs open. A
 * change that cannot follow the rule is a new activity (new name) beside the old one. `test/activity-contracts.test.ts`
 * runs every activity with each input recorded in the baseline histories (`test/fixtures/histories/`).
 */
export interface Activities {
  /** Submits the step's CI job exactly once, adopting the one an earlier attempt created. */
  submitTranscriptionJob(input: SubmitJobInput): Promise<SubmittedJob>;
  /**
   * Whether lone runs submit on the CI quota queue.
   *
   * @deprecated No workflow of this release calls it: a lone run always submits on the quota queue. Kept registered
   * for pre-release builds only; it goes with the next release that may remove activities.
   */
  usesSharedSubmitQueue(): Promise<boolean>;
  /** Reads a job's current state (compact: no transcript text enters history). */
  getTranscriptionJob(ref: JobRef): Promise<JobSnapshot>;
  /** Asks CI to cancel a job; CI only cancels jobs that have not started running. */
  cancelTranscriptionJob(ref: JobRef): Promise<CancelJobOutcome>;
  /** One look at a waiting job, its result stored at once when it succeeded. */
  checkTranscriptionJob(input: StoreResultInput): Promise<JobCheck>;
  /** Cancels what CI still allows of a step's jobs, except the one kept, and reports the rest. */
  cleanUpStepJobs(input: CleanUpJobsInput): Promise<CleanupReport>;
  /** Lists one page of media objects under a prefix. */
  listMediaPage(input: ListMediaPageInput): Promise<MediaPage>;
  /** Writes one part of a batch manifest (idempotent), returning its key. */
  writeBatchManifestPart(
    input: BatchManifestTarget & { partIndex: number; items: BatchItemOutcome[] },
  ): Promise<string>;
  /** The `MaxConcurrent` of the CI queue a batch's jobs go to; undefined when the worker cannot read queues. */
  readQueueConcurrency(input: { bucket?: string; region?: string; queueId?: string }): Promise<number | undefined>;
  /** Returns once the shared CI submit rate lets one more job be submitted (run on the CI quota task queue). */
  admitCiSubmit(): Promise<void>;
  /** The outcomes of the given batch items that have closed (the items still running are left out). */
  describeBatchItems(input: DescribeBatchItemsInput): Promise<BatchItemOutcome[]>;
  /** Merges the parts into the final manifest and returns its location. */
  finalizeBatchManifest(
    input: BatchManifestTarget & { partKeys: string[]; summary: BatchSummary },
  ): Promise<ObjectLocation>;
}
