import type { CiJobState } from './job-state';
import type { AsrOutput, JobLevel, SpeechRecognitionParams } from './types';

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
