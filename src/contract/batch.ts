/** Input of the `listMediaPage` activity. */
export interface ListMediaPageInput {
  bucket?: string;
  region?: string;
  prefix: string;
  marker?: string;
  extensions: readonly string[];
  /** Objects to read from COS in this page (1–1000). */
  pageSize: number;
}

/** One page of media keys under a prefix. */
export interface MediaPage {
  keys: string[];
  /** Pass back as `marker` for the next page; undefined when the listing is complete. */
  nextMarker?: string;
}

/** Where a batch's manifest lives: its final key and the parts written on the way. */
export interface BatchManifestTarget {
  bucket?: string;
  region?: string;
  manifestKey: string;
}

/** The summary written at the top of a batch manifest. */
export interface BatchSummary {
  batchWorkflowId: string;
  total: number;
  succeeded: number;
  failed: number;
  startedAt: string;
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

/** Input of the `describeBatchItems` activity: items a batch started and has no report from. */
export interface DescribeBatchItemsInput {
  items: { key: string; workflowId: string }[];
}
