import { parseCiTime } from './ci-time';
import { CiResponseError } from './errors';
import { isCiJobState } from './job-state';
import { normalizeResult, normalizeSpeechParams } from './normalize-result';
import type { AsrJob, AsrJobEcho, AsrJobOperation, AsrOutput, JobLevel } from './types';
import { asArray, compact, num, record, requiredText, text } from './wire';

function output(raw: unknown): AsrOutput | undefined {
  if (raw === undefined || raw === null) return undefined;
  const o = record(raw);
  return { Region: text(o.Region) ?? '', Bucket: text(o.Bucket) ?? '', Object: text(o.Object) ?? '' };
}

function jobLevel(raw: unknown): JobLevel | undefined {
  const level = num(raw, 'Operation.JobLevel');
  if (level === undefined) return undefined;
  if (level !== 0 && level !== 1 && level !== 2) throw new CiResponseError(`Operation.JobLevel is ${level}`);
  return level;
}

function operation(raw: unknown): AsrJobOperation {
  const o = record(raw);
  return compact({
    TemplateId: text(o.TemplateId),
    TemplateName: text(o.TemplateName),
    SpeechRecognition: normalizeSpeechParams(o.SpeechRecognition),
    Output: output(o.Output),
    // UserData is opaque pass-through text: keep it verbatim, only drop the empty marker.
    UserData: text(o.UserData),
    JobLevel: jobLevel(o.JobLevel),
    SpeechRecognitionResult: normalizeResult(o.SpeechRecognitionResult),
  });
}

function input(raw: unknown): AsrJobEcho {
  const i = record(raw);
  return compact({ Object: text(i.Object), Url: text(i.Url), BucketId: text(i.BucketId), Region: text(i.Region) });
}

/**
 * One `JobsDetail` element as parsed by the SDK → {@link AsrJob}. Throws a {@link CiResponseError} when the job id,
 * state or creation time is missing or unreadable. A missing `Code` reads as `Success` unless the state is `Failed`.
 */
export function normalizeJob(raw: unknown): AsrJob {
  const j = record(raw);
  const JobId = requiredText(j.JobId, 'JobsDetail.JobId');
  const state = text(j.State);
  if (!isCiJobState(state)) throw new CiResponseError(`JobsDetail.State of ${JobId} is unknown: ${String(state)}`);
  const CreationTime = parseCiTime(text(j.CreationTime), 'JobsDetail.CreationTime');
  if (CreationTime === undefined) throw new CiResponseError(`JobsDetail.CreationTime of ${JobId} is missing`);
  return compact({
    JobId,
    Tag: text(j.Tag) ?? 'SpeechRecognition',
    State: state,
    Code: text(j.Code) ?? (state === 'Failed' ? 'UnknownError' : 'Success'),
    Message: text(j.Message),
    CreationTime,
    StartTime: parseCiTime(text(j.StartTime), 'JobsDetail.StartTime'),
    EndTime: parseCiTime(text(j.EndTime), 'JobsDetail.EndTime'),
    QueueId: text(j.QueueId),
    Input: input(j.Input),
    Operation: operation(j.Operation),
  });
}

/** `Response` of an SDK result, or a {@link CiResponseError} when the body was not a CI `<Response>`. */
export function responseOf(data: unknown): Record<string, unknown> {
  const response = record(data).Response;
  // An empty `<Response/>` (a last, empty page whose NextToken is left out) parses to ''.
  if (response === '') return {};
  if (typeof response !== 'object' || response === null) {
    throw new CiResponseError('the CI response has no <Response> element');
  }
  return response as Record<string, unknown>;
}

/** Submit response → the created job. */
export function parseSubmitResponse(data: unknown): AsrJob {
  const first = asArray(responseOf(data).JobsDetail)[0];
  if (first === undefined) throw new CiResponseError('the submit response has no JobsDetail');
  return normalizeJob(first);
}

/** Get response → jobs and the ids CI does not know (`NonExistJobIds`, repeated or comma-joined). */
export function parseGetResponse(data: unknown): { jobs: AsrJob[]; nonExistentJobIds: string[] } {
  const response = responseOf(data);
  const missing = asArray(response.NonExistJobIds).flatMap((v) => (text(v) ?? '').split(','));
  return {
    jobs: asArray(response.JobsDetail).map(normalizeJob),
    nonExistentJobIds: missing.map((id) => id.trim()).filter((id) => id !== ''),
  };
}

/** List response → one page of jobs and the token of the next page (undefined when CI sent none or `''`). */
export function parseListResponse(data: unknown): { jobs: AsrJob[]; nextToken?: string } {
  const response = responseOf(data);
  return compact({ jobs: asArray(response.JobsDetail).map(normalizeJob), nextToken: text(response.NextToken) });
}
