import type { SpeechRecognitionParams } from '../ci/types';

/** The media to transcribe: an object in the job's bucket, or a URL CI can download. */
export type MediaSource = { object: string } | { url: string };

/** Recognition settings: a CI ASR template, or inline `SpeechRecognition` parameters. */
export type RecognitionSettings = { templateId: string } | { speechRecognition: SpeechRecognitionParams };

/**
 * The CI job request the submit activity builds from a resolved `transcribeMedia` input: every default filled in
 * except those the worker supplies (bucket, region, queue).
 */
export interface SubmitRequest {
  media: MediaSource;
  recognition: RecognitionSettings;
  bucket?: string;
  region?: string;
  output: { key: string; bucket?: string; region?: string };
  queueId?: string;
  jobLevel?: 0 | 1 | 2;
  /** `via` is present only when `'queue'`, so the activity input of runs that never set it stays as it was. */
  callback: { enabled: boolean; format: 'XML' | 'JSON'; via?: 'queue' };
}
