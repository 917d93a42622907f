/**
 * Names of the business metrics the worker emits through the Temporal SDK's metric meter, so they appear on the
 * worker's Prometheus endpoint next to the SDK's own. Plain constants: the workflow sandbox imports this module too.
 */
export const WorkerMetric = {
  /** Counter: CI jobs a `transcribeMedia` run submitted itself. */
  jobsSubmitted: 'ci_asr_jobs_submitted',
  /** Counter: runs whose retried submit adopted the job an earlier attempt had created. */
  jobsAdopted: 'ci_asr_jobs_adopted',
  /** Counter: extra tagged CI jobs of one step found by a retried submit (label `outcome`: the cancel's outcome). */
  duplicateJobs: 'ci_asr_duplicate_jobs',
  uncancelledJobs: 'ci_asr_uncancelled_jobs',
  /** Counter: finished `transcribeMedia` runs (labels `outcome`, `completed_by`). */
  transcriptionsFinished: 'ci_asr_transcriptions_finished',
  /** Histogram, seconds: from the CI submit to the stored result (label `completed_by`). */
  submitToResult: 'ci_asr_submit_to_result_seconds',
  /** Histogram, seconds: audio duration of each transcribed file; its `_sum` is the audio seconds transcribed. */
  audioDuration: 'ci_asr_audio_duration_seconds',
  /** Counter: activity attempts that failed on a CI or COS error (labels `code`, `action`). */
  ciErrors: 'ci_asr_ci_errors',
} as const;

/** Bucket bounds of the worker's histograms, for `Runtime.install`'s `histogramBucketOverrides`. */
export const WORKER_HISTOGRAM_BUCKETS: Record<string, number[]> = {
  // A short file takes seconds; a long one or a poll-only run can take hours.
  [WorkerMetric.submitToResult]: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200],
  [WorkerMetric.audioDuration]: [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200],
};
