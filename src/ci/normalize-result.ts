import type {
  AsrSentence,
  AsrWord,
  FlashChannelResult,
  FlashSentence,
  FlashWord,
  SpeechRecognitionParams,
  SpeechRecognitionResult,
} from './types';
import { SPEECH_RECOGNITION_KEYS } from './types';
import { asArray, bool, compact, num, record, requiredNum, text } from './wire';

/** `Operation/SpeechRecognition` echo with numbers and booleans restored. */
export function normalizeSpeechParams(raw: unknown): Partial<SpeechRecognitionParams> | undefined {
  if (raw === undefined || raw === null) return undefined;
  const r = record(raw);
  const out: Partial<Record<keyof SpeechRecognitionParams, unknown>> = {
    EngineModelType: text(r.EngineModelType),
    OutputFileType: text(r.OutputFileType),
    FlashAsr: bool(r.FlashAsr, 'SpeechRecognition.FlashAsr'),
    Format: text(r.Format),
    HotVocabularyTableId: text(r.HotVocabularyTableId),
  };
  // Every documented parameter not read above is a number.
  for (const key of SPEECH_RECOGNITION_KEYS) {
    if (!(key in out)) out[key] = num(r[key], `SpeechRecognition.${key}`);
  }
  // Echoed values are CI's own; they are typed, not re-validated.
  return compact(out) as Partial<SpeechRecognitionParams>;
}

function word(raw: unknown, at: string): AsrWord {
  const w = record(raw);
  return compact({
    Word: text(w.Word) ?? '',
    OffsetStartMs: requiredNum(w.OffsetStartMs, `${at}.OffsetStartMs`),
    OffsetEndMs: requiredNum(w.OffsetEndMs, `${at}.OffsetEndMs`),
    VoiceType: text(w.VoiceType),
  });
}

/** One `ResultDetail` sentence with numbers parsed and `Words` always an array. */
export function normalizeSentence(raw: unknown, index: number): AsrSentence {
  const s = record(raw);
  const at = `ResultDetail[${index}]`;
  return compact({
    FinalSentence: text(s.FinalSentence) ?? '',
    SliceSentence: text(s.SliceSentence),
    StartMs: requiredNum(s.StartMs, `${at}.StartMs`),
    EndMs: requiredNum(s.EndMs, `${at}.EndMs`),
    WordsNum: num(s.WordsNum, `${at}.WordsNum`),
    SpeechSpeed: num(s.SpeechSpeed, `${at}.SpeechSpeed`),
    SpeakerId: num(s.SpeakerId, `${at}.SpeakerId`),
    Words: asArray(s.Words).map((w, i) => word(w, `${at}.Words[${i}]`)),
  });
}

function flashWord(raw: unknown, at: string): FlashWord {
  const w = record(raw);
  return {
    word: text(w.word) ?? '',
    start_time: requiredNum(w.start_time, `${at}.start_time`),
    end_time: requiredNum(w.end_time, `${at}.end_time`),
  };
}

function flashSentence(raw: unknown, at: string): FlashSentence {
  const s = record(raw);
  return compact({
    text: text(s.text) ?? '',
    start_time: requiredNum(s.start_time, `${at}.start_time`),
    end_time: requiredNum(s.end_time, `${at}.end_time`),
    speaker_id: num(s.speaker_id, `${at}.speaker_id`),
    word_list: asArray(s.word_list).map((w, i) => flashWord(w, `${at}.word_list[${i}]`)),
  });
}

function flashChannel(raw: unknown, index: number): FlashChannelResult {
  const c = record(raw);
  const at = `FlashResult[${index}]`;
  return {
    channel_id: num(c.channel_id, `${at}.channel_id`) ?? 0,
    text: text(c.text) ?? '',
    sentence_list: asArray(c.sentence_list).map((s, i) => flashSentence(s, `${at}.sentence_list[${i}]`)),
  };
}

/** `Operation/SpeechRecognitionResult` with `AudioTime` as seconds and every repeated element as an array. */
export function normalizeResult(raw: unknown): SpeechRecognitionResult | undefined {
  if (raw === undefined || raw === null) return undefined;
  const r = record(raw);
  const flash = asArray(r.FlashResult);
  return compact({
    AudioTime: num(r.AudioTime, 'SpeechRecognitionResult.AudioTime') ?? 0,
    Result: typeof r.Result === 'string' ? r.Result : '',
    ObjectName: text(r.ObjectName),
    DetailObjectName: text(r.DetailObjectName),
    ResultDetail: asArray(r.ResultDetail).map(normalizeSentence),
    FlashResult: flash.length > 0 ? flash.map(flashChannel) : undefined,
  });
}
