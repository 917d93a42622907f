/**
 * The one place for request validation: CI submit bodies, list filters and job ids are checked here before any
 * request leaves, and every problem is reported at once. The helpers (`IssueList`, `isRecord`, ...) also serve
 * the COS store and the client factory.
 */
import { CiValidationError } from './errors';
import type { CiValidationIssue } from './errors';
import { CI_JOB_STATES } from './job-state';
import type { ListAsrJobsFilter } from './list-filter';
import {
  DIARIZATION_ENGINES,
  DUAL_CHANNEL_ENGINES,
  ENGINE_MODEL_TYPES,
  FLASH_ENGINES,
  FLASH_FORMATS,
  SPEECH_RECOGNITION_KEYS,
} from './types';
import type { SubmitAsrJobRequest } from './types';

/** Collects issues while walking an input; `path` prefixes every field name. */
export class IssueList {
  readonly issues: CiValidationIssue[] = [];

  /** Records a problem with the field at `path`. */
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** Records a problem unless `ok`. */
  check(ok: boolean, path: string, message: string): void {
    if (!ok) this.add(path, message);
  }

  /** Checks that exactly one of the fields `a` and `b` of `record` is set. */
  exactlyOne(record: Record<string, unknown>, a: string, b: string, path: string): void {
    this.check((record[a] !== undefined) !== (record[b] !== undefined), path, `set exactly one of ${a} and ${b}`);
  }

  /** Checks that an optional field, when present, is one of `allowed`. */
  oneOf(value: unknown, allowed: readonly unknown[], path: string): void {
    if (value !== undefined && !allowed.includes(value)) {
      this.add(path, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; got ${show(value)}`);
    }
  }

  /** Checks that a required field is a non-empty string. */
  requiredString(value: unknown, path: string): void {
    if (typeof value !== 'string' || value.trim() === '') this.add(path, `is required (non-empty string)`);
  }

  /** Checks that an optional field, when present, is a non-empty string. */
  optionalString(value: unknown, path: string): void {
    if (value !== undefined) this.requiredString(value, path);
  }
}

/** Plain object test that also narrows for property access. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Short rendering of a bad value for messages (never long, never multi-line). */
export function show(value: unknown): string {
  const text = value instanceof Date ? value.toString() : JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Whether `value` is an http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Whether `value` is a `Date` holding a real time. */
export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/** Longest `UserData` CI accepts. */
export const MAX_USER_DATA_LENGTH = 1024;

const SPEECH_KEYS: ReadonlySet<string> = new Set(SPEECH_RECOGNITION_KEYS);

const P = 'Operation.SpeechRecognition';

function checkSpeechValues(sr: Record<string, unknown>, out: IssueList): void {
  out.oneOf(sr.ChannelNum, [1, 2], `${P}.ChannelNum`);
  out.oneOf(sr.ResTextFormat, [0, 1, 2, 3], `${P}.ResTextFormat`);
  out.oneOf(sr.FilterDirty, [0, 1, 2], `${P}.FilterDirty`);
  out.oneOf(sr.FilterModal, [0, 1, 2], `${P}.FilterModal`);
  out.oneOf(sr.ConvertNumMode, [0, 1, 3], `${P}.ConvertNumMode`);
  out.oneOf(sr.SpeakerDiarization, [0, 1], `${P}.SpeakerDiarization`);
  out.oneOf(sr.SpeakerNumber, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], `${P}.SpeakerNumber`);
  out.oneOf(sr.FilterPunc, [0, 1, 2], `${P}.FilterPunc`);
  out.oneOf(sr.OutputFileType, ['txt', 'srt'], `${P}.OutputFileType`);
  out.oneOf(sr.FlashAsr, [true, false], `${P}.FlashAsr`);
  out.oneOf(sr.Format, FLASH_FORMATS, `${P}.Format`);
  out.oneOf(sr.FirstChannelOnly, [0, 1], `${P}.FirstChannelOnly`);
  out.oneOf(sr.WordInfo, [0, 1, 2], `${P}.WordInfo`);
  out.optionalString(sr.HotVocabularyTableId, `${P}.HotVocabularyTableId`);
  const len = sr.SentenceMaxLength;
  const lenOk =
    len === undefined || (Number.isInteger(len) && (len === 0 || ((len as number) >= 6 && (len as number) <= 40)));
  out.check(lenOk, `${P}.SentenceMaxLength`, `must be 0 (off) or an integer 6–40; got ${show(len)}`);
}

function checkSpeechCombinations(sr: Record<string, unknown>, out: IssueList): void {
  const engine = sr.EngineModelType as (typeof ENGINE_MODEL_TYPES)[number];
  const known = ENGINE_MODEL_TYPES.includes(engine);
  const flash = sr.FlashAsr === true;
  if (known && sr.ChannelNum === 2 && !DUAL_CHANNEL_ENGINES.includes(engine)) {
    out.add(
      `${P}.ChannelNum`,
      `2 (dual channel) is only allowed with ${DUAL_CHANNEL_ENGINES.join(', ')}; got ${engine}`,
    );
  }
  if (!flash && sr.ChannelNum === undefined) out.add(`${P}.ChannelNum`, 'is required unless FlashAsr is true');
  if (known && sr.SpeakerDiarization === 1 && !DIARIZATION_ENGINES.includes(engine)) {
    out.add(`${P}.SpeakerDiarization`, `1 is only allowed with ${DIARIZATION_ENGINES.join(', ')}; got ${engine}`);
  }
  if (sr.SpeakerDiarization === 1 && sr.ChannelNum === 2) {
    out.add(`${P}.SpeakerDiarization`, 'speaker separation needs mono audio (ChannelNum 1)');
  }
  if (flash && sr.Format === undefined) out.add(`${P}.Format`, 'is required when FlashAsr is true');
  if (flash && known && !FLASH_ENGINES.includes(engine)) {
    out.add(`${P}.EngineModelType`, `flash ASR supports ${FLASH_ENGINES.join(', ')}; got ${engine}`);
  }
  if (sr.OutputFileType === 'srt' && (flash || sr.ResTextFormat === 3)) {
    out.add(`${P}.OutputFileType`, 'srt is not available with FlashAsr or ResTextFormat 3');
  }
}

function checkSpeech(sr: unknown, out: IssueList): void {
  if (!isRecord(sr)) return out.add(P, 'must be an object');
  out.oneOf(sr.EngineModelType, ENGINE_MODEL_TYPES, `${P}.EngineModelType`);
  if (sr.EngineModelType === undefined) out.add(`${P}.EngineModelType`, 'is required');
  for (const key of Object.keys(sr)) {
    if (!SPEECH_KEYS.has(key) && sr[key] !== undefined) out.add(`${P}.${key}`, 'is not a SpeechRecognition parameter');
  }
  checkSpeechValues(sr, out);
  checkSpeechCombinations(sr, out);
}

function checkInput(input: unknown, out: IssueList): void {
  if (!isRecord(input)) return out.add('Input', 'must be an object with Object or Url');
  out.exactlyOne(input, 'Object', 'Url', 'Input');
  if (input.Object !== undefined) out.requiredString(input.Object, 'Input.Object');
  const url = input.Url;
  if (url !== undefined && (typeof url !== 'string' || !isHttpUrl(url))) out.add('Input.Url', 'must be an http(s) URL');
}

function checkOutput(output: unknown, out: IssueList): void {
  if (!isRecord(output)) return out.add('Operation.Output', 'is required (Region, Bucket, Object)');
  out.requiredString(output.Region, 'Operation.Output.Region');
  out.requiredString(output.Bucket, 'Operation.Output.Bucket');
  out.requiredString(output.Object, 'Operation.Output.Object');
  if (typeof output.Bucket === 'string' && output.Bucket !== '' && !/^[a-z0-9-]+-\d+$/.test(output.Bucket)) {
    out.add('Operation.Output.Bucket', `must look like name-appid (e.g. demo-1250000000); got ${show(output.Bucket)}`);
  }
}

function checkUserData(value: unknown, out: IssueList): void {
  if (value === undefined) return;
  if (typeof value !== 'string') return out.add('Operation.UserData', 'must be a string');
  out.check(value.length <= MAX_USER_DATA_LENGTH, 'Operation.UserData', `is ${value.length} characters; max 1024`);
  out.check(/^[\x20-\x7e]*$/.test(value), 'Operation.UserData', 'must be printable ASCII');
}

function checkOperation(op: unknown, out: IssueList): void {
  if (!isRecord(op)) return out.add('Operation', 'must be an object');
  out.exactlyOne(op, 'TemplateId', 'SpeechRecognition', 'Operation');
  if (op.TemplateId !== undefined) out.requiredString(op.TemplateId, 'Operation.TemplateId');
  if (op.SpeechRecognition !== undefined) checkSpeech(op.SpeechRecognition, out);
  checkOutput(op.Output, out);
  checkUserData(op.UserData, out);
  out.oneOf(op.JobLevel, [0, 1, 2], 'Operation.JobLevel');
}

function checkCallback(req: Record<string, unknown>, out: IssueList): void {
  const cb = req.CallBack;
  if (cb !== undefined && !(typeof cb === 'string' && (cb === 'no' || isHttpUrl(cb)))) {
    out.add('CallBack', `must be an http(s) URL or "no"; got ${show(cb)}`);
  }
  out.oneOf(req.CallBackFormat, ['JSON', 'XML'], 'CallBackFormat');
  out.oneOf(req.CallBackType, ['Url', 'TDMQ'], 'CallBackType');
  const mq = req.CallBackMqConfig;
  if (req.CallBackType === 'TDMQ' && mq === undefined)
    out.add('CallBackMqConfig', 'is required when CallBackType is TDMQ');
  if (mq === undefined) return;
  if (!isRecord(mq)) return out.add('CallBackMqConfig', 'must be an object');
  out.oneOf(mq.MqRegion, ['sh', 'bj', 'gz', 'cd', 'hk'], 'CallBackMqConfig.MqRegion');
  out.check(mq.MqRegion !== undefined, 'CallBackMqConfig.MqRegion', 'is required');
  out.oneOf(mq.MqMode, ['Queue', 'Topic'], 'CallBackMqConfig.MqMode');
  out.check(mq.MqMode !== undefined, 'CallBackMqConfig.MqMode', 'is required');
  out.requiredString(mq.MqName, 'CallBackMqConfig.MqName');
}

/** Every problem with a submit request (empty when valid). */
export function submitRequestIssues(req: SubmitAsrJobRequest): CiValidationIssue[] {
  const out = new IssueList();
  const raw: unknown = req;
  if (!isRecord(raw)) {
    out.add('request', 'must be an object');
    return out.issues;
  }
  checkInput(raw.Input, out);
  checkOperation(raw.Operation, out);
  out.optionalString(raw.QueueId, 'QueueId');
  checkCallback(raw, out);
  return out.issues;
}

/** Throws one {@link CiValidationError} naming every problem with a submit request. */
export function validateSubmitRequest(req: SubmitAsrJobRequest): void {
  const issues = submitRequestIssues(req);
  if (issues.length > 0) throw new CiValidationError('ASR submit request', issues);
}

/** Largest page `GET /asr_jobs` returns. */
export const MAX_LIST_SIZE = 100;

/** Throws a {@link CiValidationError} unless `filter` is a valid list filter. */
export function validateListFilter(filter: ListAsrJobsFilter): void {
  const out = new IssueList();
  const f: unknown = filter;
  if (!isRecord(f))
    throw new CiValidationError('ASR job list filter', [{ path: 'filter', message: 'must be an object' }]);
  const size = f.size;
  const sizeOk =
    size === undefined || (Number.isInteger(size) && (size as number) >= 1 && (size as number) <= MAX_LIST_SIZE);
  out.check(sizeOk, 'size', `must be an integer 1–${MAX_LIST_SIZE}; got ${show(size)}`);
  if (f.states !== undefined) {
    const states = f.states;
    const ok = Array.isArray(states) && states.length > 0;
    out.check(ok, 'states', 'must be a non-empty array');
    if (ok) states.forEach((s, i) => out.oneOf(s, ['All', ...CI_JOB_STATES], `states[${i}]`));
  }
  for (const key of ['startCreationTime', 'endCreationTime'] as const) {
    if (f[key] !== undefined) out.check(isValidDate(f[key]), key, `must be a valid Date; got ${show(f[key])}`);
  }
  if (isValidDate(f.startCreationTime) && isValidDate(f.endCreationTime)) {
    out.check(f.startCreationTime <= f.endCreationTime, 'endCreationTime', 'must not be before startCreationTime');
  }
  out.oneOf(f.orderByTime, ['Asc', 'Desc'], 'orderByTime');
  out.optionalString(f.queueId, 'queueId');
  out.optionalString(f.nextToken, 'nextToken');
  if (out.issues.length > 0) throw new CiValidationError('ASR job list filter', out.issues);
}

function jobIdIssue(id: unknown): string | undefined {
  if (typeof id !== 'string' || id === '') return 'must be a non-empty string';
  if (/[,/?#\s]/.test(id)) return `must not contain commas, slashes, '?', '#' or spaces; got ${show(id)}`;
  return undefined;
}

/** Throws a {@link CiValidationError} unless every id is usable in a `/asr_jobs/<id>[,<id>]` path. */
export function validateJobIds(ids: readonly string[]): void {
  const raw: unknown = ids;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new CiValidationError('job ids', [{ path: 'ids', message: 'must be a non-empty array' }]);
  }
  const issues = raw.flatMap((id, i) => {
    const message = jobIdIssue(id);
    return message === undefined ? [] : [{ path: `ids[${i}]`, message }];
  });
  if (issues.length > 0) throw new CiValidationError('job ids', issues);
}
