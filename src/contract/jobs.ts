import type { CiJobState } from '../ci/job-state';
import type { MediaSource, SubmitRequest } from './media';

/** An object in COS, with its `cos://bucket/key` URI. */
export interface ObjectLocation {
  bucket: string;
  region: string;
  key: string;
  /** `cos://<bucket>/<key>` */
  uri: string;
}

/** Which CI host a job lives on. */
export interface JobRef {
  jobId: string;
  bucket: string;
  region: string;
}

/** Input of the submit activity: the resolved workflow input and the step that owns the job. */
export interface SubmitJobInput {
  /** Step name, unique within the workflow, that owns exactly one CI job (tagged into `UserData`). */
  step: string;
  request: SubmitRequest;
  /** When the callback URL's token stops being accepted (ISO 8601): the run's deadline plus a margin. */
  callbackExpiresAt: string;
}

/** What the submit activity reports: the job, where it runs, and whether it was adopted from an earlier attempt. */
export interface SubmittedJob extends JobRef {
  state: CiJobState;
  queueId?: string;
  /** Where CI will write the transcript. */
  output: ObjectLocation;
  /** True when a job created by an earlier attempt of this step was found and reused instead of submitting again. */
  adopted: boolean;
  /** Whether CI was given a callback URL (false when disabled or when the worker has no receiver configured). */
  callbackRequested: boolean;
  /** CI's `CreationTime` (ISO 8601). */
  createdAt: string;
  /** The `UserData` tag of the step's jobs (a hash, no secret), so later sweeps find every job of the step. */
  tag?: string;
  /** Attempt of the submit activity that reported the job; above 1, a late duplicate may still appear. */
  attempt?: number;
  /** Other jobs of the step that attempts created; CI ran or holds those it would not cancel (billed). */
  duplicates?: DuplicateJob[];
}

/** A second job of the same step (a retried submit's), and what became of it. */
export interface DuplicateJob {
  jobId: string;
  /** The job's state when last seen. */
  state?: CiJobState;
  /** `cancelled`: never billed. Otherwise CI holds or ran it: `not-cancellable` (started), `not-found`, `error`. */
  cancel: 'cancelled' | 'not-cancellable' | 'not-found' | 'error';
  /** Why the cancel failed, for `error`. */
  error?: string;
}

/** Input of the cleanup activity: where the step's jobs are, and the one to keep (if any). */
export interface CleanUpJobsInput {
  step: string;
  request: Pick<SubmitJobInput['request'], 'bucket' | 'region' | 'queueId'>;
  /**
   * The step's tag when known (from the submitted job); else derived from `runId`, and the submit never answered, so
   * the cleanup looks a second time for a job CI commits late.
   */
  tag?: string;
  /** The run that submitted (the submit tags with its own run's id). Absent: the activity's own run. */
  runId?: string;
  /** Jobs created before this (epoch ms, the workflow's start) cannot be the step's. */
  sinceMs: number;
  /** A job the run keeps (its result was stored); never cancelled or reported. */
  keepJobId?: string;
}

/**
 * What a cleanup found: which of the step's jobs it cancelled and which CI would not cancel (they run or ran, and
 * are billed). `lookupError` says the jobs could not be listed: then CI may hold a job with `tag` nobody saw.
 */
export interface CleanupReport {
  /** Absent only when the cleanup never ran and the run had no job id (the tag is derived in the activity). */
  tag?: string;
  cancelled: string[];
  uncancelled: { jobId: string; state?: CiJobState; reason: string }[];
  /** Also set when a lookup stopped at its page cap: the jobs it did not read may hold the step's. */
  lookupError?: string;
}

/**
 * What CI reported about a successful job, in a few fields: enough to store the result location and write the
 * manifest without asking CI again. The transcript text itself is never included.
 */
export interface JobResultSummary {
  /** Audio duration CI measured, in seconds. */
  audioTimeSeconds: number;
  /** Number of transcript segments (sentences). */
  segments: number;
  /** `DetailObjectName` without a leading `/`, when CI wrote a detail object. */
  detailKey?: string;
  engine?: string;
  templateId?: string;
  queueId?: string;
  /** CI's creation, start and end times of the job (ISO 8601). */
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
}

/** A compact view of a job's state: what the workflow needs to decide, nothing that could bloat history. */
export interface JobSnapshot {
  jobId: string;
  state: CiJobState;
  /** CI's `Code` (`Success`, or an error code when `Failed`). */
  code?: string;
  /** CI's `Message` when the job failed. */
  message?: string;
  /** Present when `state` is `Success`. */
  result?: JobResultSummary;
}

/** Outcome of asking CI to cancel a job. CI only cancels jobs that have not started running. */
export interface CancelJobOutcome {
  jobId: string;
  outcome: 'cancelled' | 'not-cancellable' | 'not-found';
  /** The job's state after the attempt, when known. */
  state?: CiJobState;
}

/** Input of the check activity: the job, and what storing its result needs once it succeeded. */
export interface StoreResultInput {
  job: SubmittedJob;
  media: MediaSource;
  manifestKey: string;
  completedBy: 'callback' | 'poll';
  /** When the workflow started (ISO 8601), recorded in the manifest. */
  workflowStartedAt: string;
  /** The last check at the run's deadline: a success found now is kept, and the manifest says so. */
  atDeadline?: boolean;
}

/** What one check of a waiting job found: its state, and the stored result once it succeeded. */
export interface JobCheck {
  snapshot: JobSnapshot;
  /** Present when the job succeeded: the manifest is written and these are the locations. */
  result?: TranscriptionResult;
}

/** The typed result of `transcribeMedia`: where the transcript and its manifest are. The text itself never passes
 * through Temporal's history. */
export interface TranscriptionResult {
  jobId: string;
  /** The transcript object CI wrote (`txt` or `srt`). */
  resultObject: ObjectLocation;
  /** CI's sentence-detail object, when CI reported one. */
  detailObject?: ObjectLocation;
  /** The JSON manifest written by this package next to the transcript. */
  manifestObject: ObjectLocation;
  /** Audio duration CI measured, in seconds. */
  audioTimeSeconds: number;
  /** Number of transcript segments (sentences). */
  segments: number;
  /** Engine model, or the template id when a template was used. */
  engine?: string;
  templateId?: string;
  /** How completion was detected. */
  completedBy: 'callback' | 'poll';
  /** CI's start and end times of the job (ISO 8601). */
  startedAt?: string;
  finishedAt?: string;
  /** True when the job's success was found by the last check at the run's deadline. */
  keptAtDeadline?: boolean;
  /** Other jobs of the step (retried submits); those not `cancelled` were billed too. */
  duplicateJobs?: DuplicateJob[];
}

/**
 * How long a second look for a step's jobs waits for a submit CI received but had not committed yet at the first: a
 * submit's attempts stop sending before their timeouts, but CI may commit a request it already received after that.
 * Used by a retried attempt (after an earlier one gave up) and by the cleanup after a submit that never answered; the
 * workflow gives that cleanup's attempts this much more time, so the wait is never cut short by its own timeout.
 */
export const LATE_SUBMIT_SETTLE_MS = 10_000;
