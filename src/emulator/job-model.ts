/** `JobsDetail/State` values, as ci-asr-api.md lists them (`Pause`: the job's queue is paused). */
export const JOB_STATES = ['Submitted', 'Running', 'Success', 'Failed', 'Pause', 'Cancel'] as const;

/** A job state the emulator reports. */
export type JobState = (typeof JOB_STATES)[number];

/** One recognised sentence with its words; times in ms from the start of the audio (offsets within the sentence). */
export interface Sentence {
  finalSentence: string;
  sliceSentence: string;
  startMs: number;
  endMs: number;
  speakerId: number;
  words: Array<{ word: string; offsetStartMs: number; offsetEndMs: number }>;
}

/** What a successful job produced (`Operation/SpeechRecognitionResult`). */
export interface JobResult {
  /** Seconds with three decimals, e.g. `30.120`. */
  audioTime: string;
  /** The `[m:s.mmm,m:s.mmm] text` lines. */
  resultText: string;
  sentences: Sentence[];
  objectName: string;
  detailObjectName: string;
}

/** Where a callback goes and how it is shaped. */
export interface JobCallback {
  url?: string;
  format: 'XML' | 'JSON';
  type: 'Url' | 'TDMQ';
  mqConfig?: Record<string, string>;
}

/** A validated submit request: everything the job needs to run and to be reported. */
export interface JobSpec {
  input: { object?: string; url?: string };
  templateId?: string;
  templateName?: string;
  /** `SpeechRecognition` parameters with defaults filled, string values as CI echoes them. */
  speechRecognition: Record<string, string>;
  output: { region: string; bucket: string; object: string };
  userData?: string;
  jobLevel: number;
  queueId?: string;
  callback: JobCallback;
}

/** An emulated CI job as stored (and persisted). Times are epoch ms. */
export interface EmulatedJob {
  /** Monotonic creation number; orders jobs and backs `NextToken`. */
  seq: number;
  jobId: string;
  tag: 'SpeechRecognition';
  state: JobState;
  code: string;
  message: string;
  /** Bucket and region the job was submitted to (the request host). */
  bucket: string;
  region: string;
  queueId: string;
  creationMs: number;
  startMs?: number;
  endMs?: number;
  spec: JobSpec;
  result?: JobResult;
}

/** The input as the counters and forced-failure rules see it: `bucket/key` for an object, else the URL. */
export function inputLabel(job: Pick<EmulatedJob, 'bucket' | 'spec'>): string {
  const { object, url } = job.spec.input;
  return object !== undefined ? `${job.bucket}/${object}` : (url ?? '');
}
