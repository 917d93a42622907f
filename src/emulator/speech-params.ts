import { invalidArgument } from './errors';

// The lists are written as ci-asr-api.md §2 lists them, not taken from src/ci (see index.ts).

/** Engine models CI accepts for normal (non-flash) ASR: phone (8 kHz), then non-phone (16 kHz). */
export const ENGINE_MODELS: readonly string[] = [
  ...'8k_zh 8k_zh_s 8k_en'.split(' '),
  ...'16k_zh 16k_zh_video 16k_en 16k_ca 16k_ja 16k_zh_edu 16k_en_edu 16k_zh_medical 16k_th 16k_zh_dialect'.split(' '),
];

/** Engine models CI accepts for flash ASR. */
export const FLASH_ENGINE_MODELS: readonly string[] =
  '8k_zh 16k_zh 16k_en 16k_zh_video 16k_zh_dialect 16k_ms 16k_zh-PY'.split(' ');

const FLASH_FORMATS = ['wav', 'pcm', 'ogg-opus', 'speex', 'silk', 'mp3', 'm4a', 'aac'];
const DIARIZATION_ENGINES = ['8k_zh', '16k_zh', '16k_zh_video'];

/** Defaults CI echoes in `Operation/SpeechRecognition` when the request omits them (ConvertNumMode per DOC-EX). */
const DEFAULTS: Record<string, string> = {
  ConvertNumMode: '1',
  FilterDirty: '0',
  FilterModal: '0',
  FilterPunc: '0',
  OutputFileType: 'txt',
  ResTextFormat: '0',
  SpeakerDiarization: '0',
  SpeakerNumber: '0',
};

const ENUMS: Record<string, readonly string[]> = {
  ChannelNum: ['1', '2'],
  ResTextFormat: ['0', '1', '2', '3'],
  FilterDirty: ['0', '1', '2'],
  FilterModal: ['0', '1', '2'],
  FilterPunc: ['0', '1', '2'],
  ConvertNumMode: ['0', '1', '3'],
  SpeakerDiarization: ['0', '1'],
  SpeakerNumber: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
  OutputFileType: ['txt', 'srt'],
  FlashAsr: ['true', 'false'],
  FirstChannelOnly: ['0', '1'],
  WordInfo: ['0', '1', '2'],
};

function checkEnums(params: Record<string, string>): void {
  for (const [name, allowed] of Object.entries(ENUMS)) {
    const value = params[name];
    if (value !== undefined && !allowed.includes(value)) {
      throw invalidArgument(`SpeechRecognition.${name} must be one of ${allowed.join(', ')}; got "${value}".`);
    }
  }
  const max = params.SentenceMaxLength;
  if (max !== undefined && !/^(0|[6-9]|[1-3]\d|40)$/.test(max)) {
    throw invalidArgument(`SpeechRecognition.SentenceMaxLength must be 0 or 6-40; got "${max}".`);
  }
}

function checkFlash(params: Record<string, string>, engine: string): void {
  if (!FLASH_ENGINE_MODELS.includes(engine)) {
    throw invalidArgument(`SpeechRecognition.EngineModelType "${engine}" is not supported by flash ASR.`);
  }
  if (!params.Format || !FLASH_FORMATS.includes(params.Format)) {
    throw invalidArgument(`SpeechRecognition.Format is required for flash ASR: one of ${FLASH_FORMATS.join(', ')}.`);
  }
  if (params.OutputFileType === 'srt') throw invalidArgument('Flash ASR only supports OutputFileType txt.');
}

function checkNormal(params: Record<string, string>, engine: string): void {
  if (!ENGINE_MODELS.includes(engine)) {
    throw invalidArgument(`SpeechRecognition.EngineModelType "${engine}" is not a supported engine model.`);
  }
  if (params.ChannelNum === undefined) throw invalidArgument('SpeechRecognition.ChannelNum is required.');
  if (params.ChannelNum === '2' && engine !== '8k_zh') {
    throw invalidArgument(`ChannelNum 2 (dual channel) is only supported by engine 8k_zh, not "${engine}".`);
  }
  if (params.SpeakerDiarization === '1' && (!DIARIZATION_ENGINES.includes(engine) || params.ChannelNum === '2')) {
    throw invalidArgument('SpeakerDiarization 1 needs a mono 8k_zh, 16k_zh or 16k_zh_video job.');
  }
  if (params.ResTextFormat === '3' && params.OutputFileType === 'srt') {
    throw invalidArgument('ResTextFormat 3 only supports OutputFileType txt.');
  }
}

/**
 * Validates `Operation/SpeechRecognition` parameters (CI rules from ci-asr-api.md §2) and returns them with CI's
 * defaults filled; throws `InvalidArgument` on the first problem.
 */
export function validateSpeechParams(params: Record<string, string>): Record<string, string> {
  const engine = params.EngineModelType;
  if (!engine) throw invalidArgument('SpeechRecognition.EngineModelType is required.');
  checkEnums(params);
  if (params.FlashAsr === 'true') checkFlash(params, engine);
  else checkNormal(params, engine);
  return { ...DEFAULTS, ...params };
}
