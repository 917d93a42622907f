import { ENGINE_MODEL_TYPES } from '../ci/types';
import type { MediaSource, RecognitionSettings, TranscribeMediaInput } from '../workflows/transcribe-media/input';
import type { Flags } from './flags';
import { closest } from './suggest';

/** Engine used when neither --engine nor --template is given. */
export const DEFAULT_ENGINE = '16k_zh';

/**
 * The media argument: an http(s) URL, `cos://bucket/key` (the bucket becomes the job's bucket), or a plain object
 * key in the default bucket. Also returns the bucket from --bucket, checked against a `cos://` bucket.
 */
export function mediaSource(target: string, flags: Flags): { media: MediaSource; bucket?: string } {
  const bucketFlag = flags.string('bucket');
  if (/^https?:\/\//i.test(target)) return { media: { url: target }, bucket: bucketFlag };
  const cos = /^cos:\/\/([^/]+)\/(.*)$/.exec(target);
  if (cos === null) return { media: { object: target.replace(/^\/+/, '') }, bucket: bucketFlag };
  const [, bucket, key] = cos as unknown as [string, string, string];
  if (bucketFlag !== undefined && bucketFlag !== bucket) {
    throw flags.error(`--bucket ${bucketFlag} contradicts the bucket of ${target}.`);
  }
  return { media: { object: key }, bucket };
}

/** --template, or --engine (default {@link DEFAULT_ENGINE}) with one channel. */
export function recognitionFrom(flags: Flags): RecognitionSettings {
  const template = flags.string('template');
  const engine = flags.string('engine');
  if (template !== undefined && engine !== undefined) throw flags.error('Give --engine or --template, not both.');
  if (template !== undefined) return { templateId: template };
  const model = ENGINE_MODEL_TYPES.find((m) => m === (engine ?? DEFAULT_ENGINE));
  if (model === undefined) {
    const near = closest(engine ?? '', ENGINE_MODEL_TYPES);
    const hint = near === undefined ? ` Known models: ${ENGINE_MODEL_TYPES.join(', ')}.` : ` Did you mean '${near}'?`;
    throw flags.error(`--engine: unknown engine model '${engine ?? ''}'.${hint}`);
  }
  return { speechRecognition: { EngineModelType: model, ChannelNum: 1 } };
}

/** Callback and deadline settings shared by `transcribe` and each `batch` item. */
export function itemOptions(flags: Flags): Pick<TranscribeMediaInput, 'callback' | 'deadline'> {
  const format = flags.choice('callback-format', ['XML', 'JSON'] as const);
  const disabled = flags.bool('no-callback');
  if (disabled && format !== undefined) throw flags.error('--no-callback and --callback-format contradict each other.');
  const deadline = flags.string('deadline');
  // The deadline stays a string here; `resolveTranscribeMediaInput` checks it like any other caller's.
  return {
    ...(disabled ? { callback: { enabled: false } } : format !== undefined ? { callback: { format } } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
  };
}
