import type { ObjectLocation } from '../../contract';
import type { RecognitionSettings, TranscribeMediaInput } from '../transcribe-media/input';

export type { BatchItemOutcome } from '../../contract';

/** Which media a batch transcribes: explicit object keys, or every object under a COS prefix. */
export type BatchSource = { keys: string[] } | { prefix: string };

/** Input of the `transcribeBatch` workflow. Only `source` and `recognition` are required. */
export interface TranscribeBatchInput {
  source: BatchSource;
  /** Settings shared by every item. */
  recognition: RecognitionSettings;
  /** Bucket and region of the media (and of the outputs unless `output` says otherwise); default: the worker's. */
  bucket?: string;
  region?: string;
  /**
   * Output key template per item; placeholders `{key}` (media key), `{dir}` (its folder, with a trailing `/` or
   * empty), `{stem}` (file name without extension), `{ext}` (`txt` or `srt`). Default `asr/{key}.{ext}`.
   */
  outputKeyTemplate?: string;
  /**
   * Items running at once; default 10, at most 100. Capped by the CI queue's `MaxConcurrent` (read once when the
   * batch starts), so a batch never queues more jobs than the queue runs.
   */
  maxInFlight?: number;
  /**
   * A fixed concurrency cap used instead of reading the queue's `MaxConcurrent` (for example when several batches
   * share one queue, give each a share of it). Default: the queue's `MaxConcurrent`.
   */
  ciConcurrency?: number;
  /** Fail the whole batch when any item fails; default false (failures are counted and listed in the manifest). */
  failOnItemFailure?: boolean;
  /** Key of the batch manifest; default `asr/batches/<workflowId>.manifest.json`. */
  manifestKey?: string;
  /** Media extensions taken from a prefix listing (lower case, no dot); default: common audio and video types. */
  extensions?: string[];
  /** Per-item options passed to each `transcribeMedia` child. */
  item?: Pick<
    TranscribeMediaInput,
    'callback' | 'polling' | 'deadline' | 'queueId' | 'jobLevel' | 'activityAttemptTimeout'
  >;
  /**
   * Items started per run before continuing as new (keeps history small); default 200. Items still running carry
   * over to the next run: the window does not drain.
   */
  itemsPerRun?: number;
  /** Overall cap on items (protects against a surprise prefix with millions of objects); default 10 000. */
  maxItems?: number;
}

/** Progress of a batch, answered by `batchProgressQuery`. */
export interface BatchProgress {
  /** Items known so far (grows while a prefix is being listed). */
  total: number;
  /** Whether every item is known (listing finished). */
  listingComplete: boolean;
  succeeded: number;
  failed: number;
  running: number;
  /** Items per minute, over the most recent completions; absent until two items have ended. */
  itemsPerMinute?: number;
  /** Seconds until every known item ends at the current rate; absent while the rate or the total is unknown. */
  etaSeconds?: number;
  /** Items may run at once: `maxInFlight` capped by the queue's `MaxConcurrent` (or `ciConcurrency`). */
  concurrencyCap?: number;
  /**
   * What the batch waits for when it could start more items but may not: `ci-concurrency` (the window is at the
   * CI queue's cap) or `submit-rate` (submits are held by the shared submit rate limit). Absent when not waiting.
   */
  waitingForQuota?: 'ci-concurrency' | 'submit-rate';
}

/** An item that was started and has not reported its end yet. */
export interface BatchItemRef {
  key: string;
  workflowId: string;
}

/** State carried from one run of a batch to the next (continue-as-new). */
export interface BatchContinuation {
  pendingKeys: string[];
  listingMarker?: string;
  listingComplete: boolean;
  total: number;
  succeeded: number;
  failed: number;
  nextItemIndex: number;
  partKeys: string[];
  startedAt: string;
  /** Items still running when the previous run continued as new (absent in runs continued by the old code). */
  inFlight?: BatchItemRef[];
  /** The concurrency cap, resolved once by the first run. */
  concurrencyCap?: number;
  /** Epoch milliseconds of the most recent item completions (for the rate). */
  recentCompletions?: number[];
}

/** Result of `transcribeBatch`; per-item details are in the manifest object, not in history. */
export interface TranscribeBatchResult {
  total: number;
  succeeded: number;
  failed: number;
  manifestObject: ObjectLocation;
}
