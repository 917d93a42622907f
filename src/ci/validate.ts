import { CiValidationError } from './errors';
import type { CiValidationIssue } from './errors';
import {
  DIARIZATION_ENGINES,
  DUAL_CHANNEL_ENGINES,
  ENGINE_MODEL_TYPES,
  FLASH_ENGINES,
  FLASH_FORMATS,
  SPEECH_RECOGNITION_KEYS,
} from './types';
import type { SubmitAsrJobRequest } from './types';
import { IssueList, isHttpUrl, isRecord, show } from './validate-rules';

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
  const hasObject = input.Object !== undefined;
  const hasUrl = input.Url !== undefined;
  out.check(hasObject !== hasUrl, 'Input', 'set exactly one of Object and Url');
  if (hasObject) out.requiredString(input.Object, 'Input.Object');
  if (hasUrl && (typeof input.Url !== 'string' || !isHttpUrl(input.Url)))
    out.add('Input.Url', 'must be an http(s) URL');
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
  const hasTemplate = op.TemplateId !== undefined;
  const hasSpeech = op.SpeechRecognition !== undefined;
  out.check(hasTemplate !== hasSpeech, 'Operation', 'set exactly one of TemplateId and SpeechRecognition');
  if (hasTemplate) out.requiredString(op.TemplateId, 'Operation.TemplateId');
  if (hasSpeech) checkSpeech(op.SpeechRecognition, out);
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

export { validateJobIds, validateListFilter } from './validate-query';
