/**
 * The one place for CI ASR job types: submit bodies, job details as CI reports them, and client call results.
 * Names follow Tencent's wire format (PascalCase), like the SDK.
 */
import type { CiJobState } from './job-state';

/** Every `EngineModelType` CI documents for ASR jobs (normal and flash). */
export const ENGINE_MODEL_TYPES = [
  '8k_zh',
  '8k_zh_s',
  '8k_en',
  '16k_zh',
  '16k_zh_video',
  '16k_en',
  '16k_ca',
  '16k_ja',
  '16k_zh_edu',
  '16k_en_edu',
  '16k_zh_medical',
  '16k_th',
  '16k_zh_dialect',
  '16k_ms',
  '16k_zh-PY',
] as const;

/** A CI speech engine model, e.g. `16k_zh` (16 kHz Mandarin) or `8k_zh` (telephone Mandarin). */
export type EngineModelType = (typeof ENGINE_MODEL_TYPES)[number];

/** The only engine that accepts `ChannelNum` 2 (dual-channel telephone audio). */
export const DUAL_CHANNEL_ENGINES: readonly EngineModelType[] = ['8k_zh'];

/** Engines that accept `SpeakerDiarization` 1. */
export const DIARIZATION_ENGINES: readonly EngineModelType[] = ['8k_zh', '16k_zh', '16k_zh_video'];

/** Engines flash ASR (`FlashAsr` true) supports. */
export const FLASH_ENGINES: readonly EngineModelType[] = [
  '8k_zh',
  '16k_zh',
  '16k_en',
  '16k_zh_video',
  '16k_zh_dialect',
  '16k_ms',
  '16k_zh-PY',
];

/** Audio formats flash ASR accepts in `Format`. */
export const FLASH_FORMATS = ['wav', 'pcm', 'ogg-opus', 'speex', 'silk', 'mp3', 'm4a', 'aac'] as const;

/** A flash-ASR audio format. */
export type FlashFormat = (typeof FLASH_FORMATS)[number];

/** `Operation/SpeechRecognition`: inline recognition parameters (all optional but `EngineModelType`). */
export interface SpeechRecognitionParams {
  /** Engine model; required. */
  EngineModelType: EngineModelType;
  /** 1 mono, 2 dual (only `8k_zh`). Required by CI for non-flash jobs. */
  ChannelNum?: 1 | 2;
  /** 0 text with segment times; 1 word detail, no punctuation; 2 word detail with punctuation; 3 subtitle segments. */
  ResTextFormat?: 0 | 1 | 2 | 3;
  /** 0 keep (default), 1 remove, 2 replace with `*`. */
  FilterDirty?: 0 | 1 | 2;
  /** Modal particles: 0 keep (default), 1 partial, 2 strict. */
  FilterModal?: 0 | 1 | 2;
  /** 0 Chinese numerals, 1 smart Arabic conversion, 3 maths conversion. */
  ConvertNumMode?: 0 | 1 | 3;
  /** 0 off (default), 1 on (mono `8k_zh`, `16k_zh`, `16k_zh_video` only). */
  SpeakerDiarization?: 0 | 1;
  /** 0 auto (≤ 6), else 1–10 speakers; non-flash only. */
  SpeakerNumber?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10;
  /** 0 keep (default), 1 drop sentence-final punctuation, 2 drop all. */
  FilterPunc?: 0 | 1 | 2;
  /** Result object format: `txt` (default) or `srt` (non-flash only). */
  OutputFileType?: 'txt' | 'srt';
  /** Use flash ASR (default false); then `Format` is required. */
  FlashAsr?: boolean;
  /** Flash-ASR audio format. */
  Format?: FlashFormat;
  /** Flash only: 0 all channels, 1 first channel (default). */
  FirstChannelOnly?: 0 | 1;
  /** Flash only: 0 no word times (default), 1 without punctuation times, 2 with punctuation times. */
  WordInfo?: 0 | 1 | 2;
  /** 0 off (default) or 6–40 characters per sentence; non-flash needs `ResTextFormat` 3. */
  SentenceMaxLength?: number;
  /** Hot-word table id (documented for templates; sent as-is). */
  HotVocabularyTableId?: string;
}

/** Every `SpeechRecognition` parameter, in the order bodies list them (the Go SDK's struct order, then `HotVocabularyTableId`). */
export const SPEECH_RECOGNITION_KEYS: readonly (keyof SpeechRecognitionParams)[] = [
  'EngineModelType',
  'ChannelNum',
  'ResTextFormat',
  'FilterDirty',
  'FilterModal',
  'ConvertNumMode',
  'SpeakerDiarization',
  'SpeakerNumber',
  'FilterPunc',
  'OutputFileType',
  'FlashAsr',
  'Format',
  'FirstChannelOnly',
  'WordInfo',
  'SentenceMaxLength',
  'HotVocabularyTableId',
];

/** `Input`: exactly one of a key in the client's bucket or a public URL. */
export type AsrJobInput = { Object: string; Url?: never } | { Url: string; Object?: never };

/** `Operation/Output`: where CI writes the result object. */
export interface AsrOutput {
  /** Region of the result bucket, e.g. `ap-guangzhou`. */
  Region: string;
  /** Result bucket, `name-appid`. */
  Bucket: string;
  /** Result object key. */
  Object: string;
}

/** Job priority: higher runs first; CI's default is 0. */
export type JobLevel = 0 | 1 | 2;

interface SubmitOperationCommon {
  Output: AsrOutput;
  /** Pass-through text echoed in results and callbacks: printable ASCII, ≤ 1024 characters. */
  UserData?: string;
  JobLevel?: JobLevel;
}

/** `Operation` of a submit: a template id xor inline recognition parameters. */
export type SubmitAsrOperation = SubmitOperationCommon &
  (
    | { TemplateId: string; SpeechRecognition?: never }
    | { SpeechRecognition: SpeechRecognitionParams; TemplateId?: never }
  );

/** `CallBackMqConfig`: TDMQ target used when `CallBackType` is `TDMQ`. */
export interface CallBackMqConfig {
  /** TDMQ region: `sh`, `bj`, `gz`, `cd` or `hk`. */
  MqRegion: 'sh' | 'bj' | 'gz' | 'cd' | 'hk';
  /** `Queue` (CI's default) or `Topic`. */
  MqMode: 'Queue' | 'Topic';
  /** TDMQ queue or topic name. */
  MqName: string;
}

/** Body of `POST /asr_jobs` (the `Tag` is added by the client). */
export interface SubmitAsrJobRequest {
  Input: AsrJobInput;
  Operation: SubmitAsrOperation;
  /** Queue id; CI uses the bucket's default ASR queue when omitted. */
  QueueId?: string;
  /** Callback URL (overrides the queue's); `no` suppresses the queue callback. */
  CallBack?: string;
  /** Callback body format; CI's default is `XML`. */
  CallBackFormat?: 'JSON' | 'XML';
  /** Callback channel; CI's default is `Url`. */
  CallBackType?: 'Url' | 'TDMQ';
  /** Required when `CallBackType` is `TDMQ`. */
  CallBackMqConfig?: CallBackMqConfig;
}

/** One word of a sentence; offsets are relative to the sentence start, as CI sends them. */
export interface AsrWord {
  Word: string;
  OffsetStartMs: number;
  OffsetEndMs: number;
  VoiceType?: string;
}

/** One `ResultDetail` sentence. */
export interface AsrSentence {
  FinalSentence: string;
  SliceSentence?: string;
  /** Milliseconds from the start of the audio. */
  StartMs: number;
  EndMs: number;
  WordsNum?: number;
  /** Words per second. */
  SpeechSpeed?: number;
  /** Speaker (diarization) or channel id. */
  SpeakerId?: number;
  Words: AsrWord[];
}

/** One word of a flash-ASR sentence (CI's snake_case names). */
export interface FlashWord {
  word: string;
  start_time: number;
  end_time: number;
}

/** One flash-ASR sentence; times are milliseconds from the start of the audio. */
export interface FlashSentence {
  text: string;
  start_time: number;
  end_time: number;
  speaker_id?: number;
  word_list: FlashWord[];
}

/** One channel of a flash-ASR result. */
export interface FlashChannelResult {
  channel_id: number;
  text: string;
  sentence_list: FlashSentence[];
}

/** `Operation/SpeechRecognitionResult`, present once a job succeeded. */
export interface SpeechRecognitionResult {
  /** Audio duration in seconds. */
  AudioTime: number;
  /** Transcript text as CI sent it (`[m:s.mmm,m:s.mmm] text` lines); see `parseResultText`. */
  Result: string;
  ObjectName?: string;
  DetailObjectName?: string;
  /** Sentences; empty when `ResTextFormat` is 0. */
  ResultDetail: AsrSentence[];
  FlashResult?: FlashChannelResult[];
}

/** `JobsDetail/Operation` as CI reports it. */
export interface AsrJobOperation {
  TemplateId?: string;
  TemplateName?: string;
  /** Echo of the parameters with CI's defaults filled in. */
  SpeechRecognition?: Partial<SpeechRecognitionParams>;
  Output?: AsrOutput;
  UserData?: string;
  JobLevel?: JobLevel;
  SpeechRecognitionResult?: SpeechRecognitionResult;
}

/** `JobsDetail/Input` as CI echoes it. */
export interface AsrJobEcho {
  Object?: string;
  Url?: string;
  BucketId?: string;
  Region?: string;
}

/** A normalised CI ASR job (`JobsDetail`). */
export interface AsrJob {
  JobId: string;
  Tag: string;
  State: CiJobState;
  /** `Success` unless the job failed; then CI's error code. */
  Code: string;
  /** CI's error text; undefined when empty. */
  Message?: string;
  CreationTime: Date;
  /** Undefined until the job starts (CI sends `-`). */
  StartTime?: Date;
  /** Undefined until the job ends (CI sends `-`). */
  EndTime?: Date;
  QueueId?: string;
  Input: AsrJobEcho;
  Operation: AsrJobOperation;
}

/** Options of every client call. */
export interface CiCallOptions {
  /** Aborts the call (e.g. Temporal's `cancellationSignal()`); the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/** Options of `CiAsrClient.submit`. */
export interface SubmitCallOptions extends CiCallOptions {
  /**
   * Called once for every HTTP request the submit puts on the wire (the SDK's own re-sends included, were there any):
   * called once in all means CI can hold at most one job from this call.
   */
  onSend?: () => void;
}

/** Result of {@link CiAsrClient.get}. */
export interface GetAsrJobsResult {
  /** Jobs CI knows, in CI's order. */
  jobs: AsrJob[];
  /** Requested ids CI reported in `NonExistJobIds`. */
  nonExistentJobIds: string[];
}

/** One page of {@link CiAsrClient.list}. */
export interface AsrJobPage {
  jobs: AsrJob[];
  /** Pass as `nextToken` to get the next page; undefined when CI sent none. */
  nextToken?: string;
}

/** What {@link CiAsrClient.cancel} achieved. CI only cancels jobs that have not started running. */
export type CancelAsrJobResult =
  | { outcome: 'cancelled'; jobId: string }
  | { outcome: 'not-cancellable'; jobId: string; state: CiJobState; code: string }
  | { outcome: 'not-found'; jobId: string };
