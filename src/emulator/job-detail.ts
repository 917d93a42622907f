import { formatCiTime, formatOptionalCiTime } from './ci-time';
import type { EmulatedJob, JobResult, Sentence } from './job-model';
import { speechSpeed } from './transcript';
import type { EmulatorVariants } from './variants';
import type { XmlObject, XmlValue } from './xml';

/** One `ResultDetail` element: CI field names, string leaves. */
export function sentenceDetail(sentence: Sentence): XmlObject {
  return {
    EndMs: String(sentence.endMs),
    FinalSentence: sentence.finalSentence,
    SliceSentence: sentence.sliceSentence,
    SpeakerId: String(sentence.speakerId),
    SpeechSpeed: String(speechSpeed(sentence)),
    StartMs: String(sentence.startMs),
    Words: sentence.words.map((w) => ({
      OffsetEndMs: String(w.offsetEndMs),
      OffsetStartMs: String(w.offsetStartMs),
      // The ASR callback sample (436/80171) has `<VoiceType>0</VoiceType>` in every word (further difference 9).
      VoiceType: '0',
      Word: w.word,
    })),
    WordsNum: String(sentence.words.length),
  };
}

/** `Result` with one or two spaces after each line's `[start,end]` (Tencent's samples show both, row 27). */
function spacedResult(text: string, spacing: 1 | 2): string {
  return spacing === 1 ? text : text.replace(/^(\[[^\]\n]*\]) /gm, '$1  ');
}

function resultElement(result: JobResult, resTextFormat: string, spacing: 1 | 2): XmlObject {
  // CI sends an empty <ResultDetail/> for ResTextFormat 0.
  const detail: XmlValue = resTextFormat === '0' ? '' : result.sentences.map(sentenceDetail);
  return {
    AudioTime: result.audioTime,
    DetailObjectName: result.detailObjectName,
    ObjectName: result.objectName,
    Result: spacedResult(result.resultText, spacing),
    ResultDetail: detail,
  };
}

function operationElement(job: EmulatedJob, spacing: 1 | 2): XmlObject {
  const { spec } = job;
  const operation: XmlObject = {
    JobLevel: String(spec.jobLevel),
    Output: { Bucket: spec.output.bucket, Object: spec.output.object, Region: spec.output.region },
    SpeechRecognition: Object.fromEntries(
      Object.entries(spec.speechRecognition).sort(([a], [b]) => a.localeCompare(b)),
    ),
  };
  if (job.result) {
    operation.SpeechRecognitionResult = resultElement(job.result, spec.speechRecognition.ResTextFormat ?? '0', spacing);
  }
  if (spec.templateId !== undefined) operation.TemplateId = spec.templateId;
  if (spec.templateName !== undefined) operation.TemplateName = spec.templateName;
  if (spec.userData !== undefined) operation.UserData = spec.userData;
  return operation;
}

/** The `JobsDetail` element of a job as CI reports it (children in the alphabetical order of CI's samples). */
export function jobsDetail(job: EmulatedJob, variants: Pick<EmulatorVariants, 'resultSpacing'>): XmlObject {
  const input: XmlObject = { BucketId: job.bucket, Region: job.region };
  if (job.spec.input.object !== undefined) input.Object = job.spec.input.object;
  if (job.spec.input.url !== undefined) input.Url = job.spec.input.url;
  return {
    Code: job.code,
    CreationTime: formatCiTime(job.creationMs),
    EndTime: formatOptionalCiTime(job.endMs),
    Input: input,
    JobId: job.jobId,
    Message: job.message,
    Operation: operationElement(job, variants.resultSpacing),
    QueueId: job.queueId,
    StartTime: formatOptionalCiTime(job.startMs),
    State: job.state,
    Tag: job.tag,
  };
}

/** Content of the `<Output Object>.detail` object: the sentences as JSON with numeric times (see docs/emulator.md). */
export function detailObjectJson(result: Pick<JobResult, 'audioTime' | 'sentences'>): string {
  const sentences = result.sentences.map((s) => ({
    FinalSentence: s.finalSentence,
    SliceSentence: s.sliceSentence,
    StartMs: s.startMs,
    EndMs: s.endMs,
    WordsNum: s.words.length,
    SpeechSpeed: speechSpeed(s),
    SpeakerId: s.speakerId,
    Words: s.words.map((w) => ({ Word: w.word, OffsetStartMs: w.offsetStartMs, OffsetEndMs: w.offsetEndMs })),
  }));
  return `${JSON.stringify({ AudioTime: result.audioTime, ResultDetail: sentences }, null, 2)}\n`;
}
