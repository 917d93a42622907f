import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { MediaSource, RecognitionSettings, SubmitRequest } from '../../contract/media';
import type { PollSchedule } from './backoff';
import { DEFAULT_POLL_SCHEDULE, pollScheduleProblems } from './backoff';

export type { MediaSource, RecognitionSettings } from '../../contract/media';

/** Input of the `transcribeMedia` workflow. Only `media` and `recognition` are required. */
export interface TranscribeMediaInput {
  media: MediaSource;
  recognition: RecognitionSettings;
  /** Bucket (`name-appid`) whose CI runs the job and holds `media.object`; default: the worker's `CI_BUCKET`. */
  bucket?: string;
  /** Region of `bucket`; default: the worker's `CI_REGION`. */
  region?: string;
  /** Where CI writes the transcript. Default key: `asr/<media object>.<txt|srt>`; bucket/region default as above. */
  output?: { key?: string; bucket?: string; region?: string };
  /** Key of the JSON manifest written next to the transcript; default `<output key>.manifest.json`. */
  manifestKey?: string;
  /** CI queue; default: the worker's `CI_QUEUE_ID`, else CI's default queue. */
  queueId?: string;
  /** CI job priority, 0 (default) to 2. */
  jobLevel?: 0 | 1 | 2;
  /**
   * Ask CI to call back when the job ends (default on when the worker has a receiver), in XML (default) or JSON.
   * `via: 'queue'` submits the job without a `CallBack` of its own, so CI uses the queue's `NotifyConfig` callback
   * (set once on the queue, pointing at the receiver's `/ci/queue` URL; docs/receiver.md); `format` then comes from the
   * queue. Default `'job'`: a URL minted for this run.
   */
  callback?: { enabled?: boolean; format?: 'XML' | 'JSON'; via?: 'job' | 'queue' };
  /** Poll schedule used while no callback arrives; defaults: 10 s, ×2, at most 5 min, jitter 0.2. */
  polling?: { firstDelay?: Duration; multiplier?: number; maxInterval?: Duration; jitter?: number };
  /** Overall deadline from the workflow's start; default 6 h. The CI job is cancelled (if it can be) when it passes. */
  deadline?: Duration;
  /**
   * Time one activity attempt (submit, poll, store) may take before Temporal retries it; default 1 min. A worker that
   * dies mid-attempt is detected after this long; a retried submit adopts the job instead of submitting again.
   */
  activityAttemptTimeout?: Duration;
}

/** {@link TranscribeMediaInput} with defaults applied and durations in milliseconds. */
export interface ResolvedTranscribeMediaInput extends SubmitRequest {
  manifestKey: string;
  polling: PollSchedule;
  deadlineMs: number;
  activityAttemptTimeoutMs: number;
}

/** Default overall deadline: CI accepts up to 5 h of audio; an hour more for queueing. */
export const DEFAULT_DEADLINE_MS = 6 * 60 * 60_000;

/** Default time one activity attempt may take. */
export const DEFAULT_ACTIVITY_ATTEMPT_TIMEOUT_MS = 60_000;

type Resolution = { ok: true; value: ResolvedTranscribeMediaInput } | { ok: false; problems: string[] };

function durationMs(value: unknown, fallback: number, name: string, problems: string[]): number {
  if (value === undefined) return fallback;
  try {
    const ms = msToNumber(value as Duration);
    if (Number.isFinite(ms) && ms > 0) return ms;
  } catch {
    // Reported below with the field name.
  }
  problems.push(`${name} must be a positive duration such as '30s' or 30000 (got ${JSON.stringify(value)})`);
  return fallback;
}

function resolvePolling(polling: TranscribeMediaInput['polling'], problems: string[]): PollSchedule {
  const defaults = DEFAULT_POLL_SCHEDULE;
  const firstDelayMs = durationMs(polling?.firstDelay, defaults.firstDelayMs, 'polling.firstDelay', problems);
  // A first delay beyond the default cap raises the cap, so setting only `firstDelay` always works.
  const defaultMaxInterval = Math.max(defaults.maxIntervalMs, firstDelayMs);
  const schedule: PollSchedule = {
    firstDelayMs,
    multiplier: polling?.multiplier ?? defaults.multiplier,
    maxIntervalMs: durationMs(polling?.maxInterval, defaultMaxInterval, 'polling.maxInterval', problems),
    jitter: polling?.jitter ?? defaults.jitter,
  };
  problems.push(...pollScheduleProblems(schedule));
  return schedule;
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function mediaProblems(media: unknown): string[] {
  if (typeof media !== 'object' || media === null) return ['media is required: { object } or { url }'];
  const { object, url } = media as { object?: unknown; url?: unknown };
  if (object !== undefined && url !== undefined) return ['media takes either object or url, not both'];
  if (object !== undefined) return nonEmptyString(object) ? [] : ['media.object must be a non-empty object key'];
  if (url === undefined) return ['media needs an object key or a url'];
  return typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url) ? [] : ['media.url must be an http(s) URL'];
}

function recognitionProblems(recognition: unknown): string[] {
  if (typeof recognition !== 'object' || recognition === null) {
    return ['recognition is required: { templateId } or { speechRecognition }'];
  }
  const { templateId, speechRecognition } = recognition as { templateId?: unknown; speechRecognition?: unknown };
  if ((templateId === undefined) === (speechRecognition === undefined)) {
    return ['recognition takes exactly one of templateId or speechRecognition'];
  }
  if (templateId !== undefined && !nonEmptyString(templateId)) return ['recognition.templateId must be non-empty'];
  if (speechRecognition !== undefined && (typeof speechRecognition !== 'object' || speechRecognition === null)) {
    return ['recognition.speechRecognition must be an object of CI SpeechRecognition parameters'];
  }
  return [];
}

function defaultOutputKey(input: TranscribeMediaInput): string | undefined {
  if (!('object' in input.media)) return undefined;
  const recognition = input.recognition as { speechRecognition?: { OutputFileType?: string } };
  const extension = recognition.speechRecognition?.OutputFileType === 'srt' ? 'srt' : 'txt';
  return `asr/${input.media.object.replace(/^\/+/, '')}.${extension}`;
}

/**
 * Checks a workflow input and fills in defaults. Pure and deterministic: the workflow runs it first, and clients can
 * run it before starting a workflow. CI-level parameter checks happen again in the submit activity.
 */
export function resolveTranscribeMediaInput(raw: unknown): Resolution {
  if (typeof raw !== 'object' || raw === null) return { ok: false, problems: ['input must be an object'] };
  const input = raw as TranscribeMediaInput;
  const problems = [...mediaProblems(input.media), ...recognitionProblems(input.recognition)];
  if (problems.length > 0) return { ok: false, problems };

  const outputKey = input.output?.key ?? defaultOutputKey(input);
  if (!nonEmptyString(outputKey)) problems.push('output.key is required when media is a url');
  if (input.jobLevel !== undefined && ![0, 1, 2].includes(input.jobLevel)) problems.push('jobLevel must be 0, 1 or 2');
  const format = input.callback?.format ?? 'XML';
  if (format !== 'XML' && format !== 'JSON') problems.push("callback.format must be 'XML' or 'JSON'");
  const via = input.callback?.via ?? 'job';
  if (via !== 'job' && via !== 'queue') problems.push("callback.via must be 'job' or 'queue'");
  const polling = resolvePolling(input.polling, problems);
  const deadlineMs = durationMs(input.deadline, DEFAULT_DEADLINE_MS, 'deadline', problems);
  const activityAttemptTimeoutMs = durationMs(
    input.activityAttemptTimeout,
    DEFAULT_ACTIVITY_ATTEMPT_TIMEOUT_MS,
    'activityAttemptTimeout',
    problems,
  );
  if (problems.length > 0 || !outputKey) return { ok: false, problems };

  return {
    ok: true,
    value: {
      media: input.media,
      recognition: input.recognition,
      bucket: input.bucket,
      region: input.region,
      output: { key: outputKey, bucket: input.output?.bucket, region: input.output?.region },
      manifestKey: input.manifestKey ?? `${outputKey}.manifest.json`,
      queueId: input.queueId,
      jobLevel: input.jobLevel,
      callback: { enabled: input.callback?.enabled ?? true, format, ...(via === 'queue' ? { via } : {}) },
      polling,
      deadlineMs,
      activityAttemptTimeoutMs,
    },
  };
}
