import type { ObjectLocation } from '../../activities/types';
import type { RecognitionSettings, TranscribeMediaInput } from '../transcribe-media/input';

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
  /** Children running at once; default 10, at most 100. */
  maxInFlight?: number;
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
  /** Items started per run before continuing as new (keeps history small); default 200. */
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
}

/** Result of `transcribeBatch`; per-item details are in the manifest object, not in history. */
export interface TranscribeBatchResult {
  total: number;
  succeeded: number;
  failed: number;
  manifestObject: ObjectLocation;
}

/** One item's outcome, as recorded in the batch manifest. */
export interface BatchItemOutcome {
  key: string;
  workflowId: string;
  status: 'succeeded' | 'failed';
  /** Transcript URI on success. */
  resultUri?: string;
  manifestUri?: string;
  jobId?: string;
  /** Failure type and message on failure. */
  error?: { type?: string; message: string };
}
