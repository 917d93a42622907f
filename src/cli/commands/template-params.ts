/** The `SpeechRecognition` parameters of `templates create`, from flags or from a JSON file. */
import type { AsrTemplateRequest } from '../../ci/setup';
import type { SpeechRecognitionParams } from '../../ci/types';
import type { Flags } from '../args';
import { recognitionFrom } from '../args';

type Key = keyof SpeechRecognitionParams;

/** Flags holding whole numbers: flag → parameter and bounds (CI's finer rules are the client's validation). */
const NUMBERS: Readonly<Record<string, { key: Key; min: number; max: number }>> = {
  channels: { key: 'ChannelNum', min: 1, max: 2 },
  'res-text-format': { key: 'ResTextFormat', min: 0, max: 3 },
  'filter-dirty': { key: 'FilterDirty', min: 0, max: 2 },
  'filter-modal': { key: 'FilterModal', min: 0, max: 2 },
  'filter-punc': { key: 'FilterPunc', min: 0, max: 2 },
  'convert-num-mode': { key: 'ConvertNumMode', min: 0, max: 3 },
  'speaker-number': { key: 'SpeakerNumber', min: 0, max: 10 },
  'first-channel-only': { key: 'FirstChannelOnly', min: 0, max: 1 },
  'word-info': { key: 'WordInfo', min: 0, max: 2 },
  'sentence-max-length': { key: 'SentenceMaxLength', min: 0, max: 40 },
};

/** Flags holding text, passed through as given. */
const TEXTS: Readonly<Record<string, Key>> = { 'audio-format': 'Format', 'hot-vocab': 'HotVocabularyTableId' };

/** Every flag that sets a parameter (for "not with --from-json"). */
export const SPEECH_FLAGS: readonly string[] = [
  'engine',
  ...Object.keys(NUMBERS),
  ...Object.keys(TEXTS),
  'output-file-type',
  'speaker-diarization',
  'flash',
];

/** Whether any parameter flag is on the command line. */
export function hasSpeechFlags(flags: Flags): boolean {
  return SPEECH_FLAGS.some((f) => flags.bool(f) || flags.string(f) !== undefined);
}

/**
 * The parameters the flags give: `--engine` is checked as `transcribe --engine` checks it (same default, same "did you
 * mean"); the rest are checked for their type here and for CI's rules by the setup client's validation.
 */
export function speechFromFlags(flags: Flags): SpeechRecognitionParams {
  // `templates create` has no --template flag, so this is always the engine form.
  const base = recognitionFrom(flags);
  const params: Record<string, unknown> = 'speechRecognition' in base ? { ...base.speechRecognition } : {};
  for (const [flag, { key, min, max }] of Object.entries(NUMBERS)) {
    const value = flags.integer(flag, min, max);
    if (value !== undefined) params[key] = value;
  }
  for (const [flag, key] of Object.entries(TEXTS)) {
    const value = flags.string(flag);
    if (value !== undefined) params[key] = value;
  }
  const fileType = flags.choice('output-file-type', ['txt', 'srt'] as const);
  if (fileType !== undefined) params.OutputFileType = fileType;
  if (flags.bool('speaker-diarization')) params.SpeakerDiarization = 1;
  if (flags.bool('flash')) params.FlashAsr = true;
  return params as unknown as SpeechRecognitionParams;
}

/**
 * A template from a `--from-json` file's text: `{"Name": ..., "SpeechRecognition": {...}}` (CI's own body shape), or
 * the `SpeechRecognition` object alone. `name` (the argument) wins over the file's `Name`. Throws a message on a
 * malformed file; the parameters themselves are left to the client's validation.
 */
export function templateFromJson(text: string, name: string | undefined): AsrTemplateRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`is not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('does not hold a JSON object');
  const body = parsed as Record<string, unknown>;
  const speech = 'SpeechRecognition' in body ? body.SpeechRecognition : body;
  const fileName = typeof body.Name === 'string' ? body.Name : undefined;
  const finalName = name ?? fileName;
  if (finalName === undefined) throw new Error('has no "Name": give one as the argument');
  return { Name: finalName, SpeechRecognition: speech as SpeechRecognitionParams };
}
