import { invalidArgument, ApiError, templateNotFound } from './errors';
import type { JobCallback, JobSpec } from './job-model';
import { validateSpeechParams } from './speech-params';
import type { XmlObject } from './xml';
import { childObject, childText, MalformedXmlError, parseXml } from './xml';

/** An ASR template the emulator knows (seeded through `EmulatorOptions.templates`). */
export interface EmulatorTemplate {
  name: string;
  /** `SpeechRecognition` parameters, values as strings (e.g. `{ EngineModelType: '16k_zh', ChannelNum: '1' }`). */
  speechRecognition: Record<string, string>;
}

const MQ_REGIONS = ['sh', 'bj', 'gz', 'cd', 'hk'];

function leaves(node: XmlObject | undefined, path: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(node ?? {})) {
    if (typeof value !== 'string') throw invalidArgument(`${path}.${name} must be a single text element.`);
    out[name] = value;
  }
  return out;
}

/** The `<Request>` element of an XML body; `MissingContent` when empty, `InvalidArgument` when malformed. */
export function parseRequestBody(body: string): XmlObject {
  if (body.trim() === '') throw new ApiError(400, 'MissingContent', 'The request body is empty.');
  try {
    const request = childObject(parseXml(body), 'Request');
    if (!request) throw invalidArgument('The request body must have a <Request> root element.');
    return request;
  } catch (err) {
    if (err instanceof MalformedXmlError) throw new ApiError(400, 'InvalidArgument', err.message, { cause: err });
    throw err;
  }
}

function parseInput(request: XmlObject): JobSpec['input'] {
  const input = childObject(request, 'Input');
  const object = childText(input, 'Object') || undefined;
  const url = childText(input, 'Url') || undefined;
  // DOC-49789: "if both are passed, Object is preferred".
  if (object !== undefined) return { object };
  if (url === undefined) throw invalidArgument('Input.Object or Input.Url is required.');
  if (!/^https?:\/\/[^/]+/i.test(url)) throw invalidArgument(`Input.Url must be an http(s) URL; got "${url}".`);
  return { url };
}

function parseOutput(operation: XmlObject): JobSpec['output'] {
  const output = childObject(operation, 'Output');
  if (!output) throw invalidArgument('Operation.Output is required.');
  const region = childText(output, 'Region');
  const bucket = childText(output, 'Bucket');
  const object = childText(output, 'Object');
  const missing = Object.entries({ Region: region, Bucket: bucket, Object: object }).filter(([, v]) => !v);
  if (missing.length > 0) {
    throw invalidArgument(`Operation.Output is missing ${missing.map(([k]) => k).join(', ')}.`);
  }
  return { region: region!, bucket: bucket!, object: object! };
}

function parseCallback(request: XmlObject): JobCallback {
  const url = childText(request, 'CallBack') || undefined;
  const format = childText(request, 'CallBackFormat') || 'XML';
  const type = childText(request, 'CallBackType') || 'Url';
  if (format !== 'XML' && format !== 'JSON') throw invalidArgument('CallBackFormat must be XML or JSON.');
  if (type !== 'Url' && type !== 'TDMQ') throw invalidArgument('CallBackType must be Url or TDMQ.');
  if (url !== undefined && url !== 'no' && !/^https?:\/\/[^/]+/i.test(url)) {
    throw invalidArgument(`CallBack must be an http(s) URL or "no"; got "${url}".`);
  }
  if (type === 'Url') return { url, format, type };
  const mq = leaves(childObject(request, 'CallBackMqConfig'), 'CallBackMqConfig');
  if (!mq.MqRegion || !MQ_REGIONS.includes(mq.MqRegion) || !mq.MqName) {
    throw invalidArgument(
      `CallBackType TDMQ needs CallBackMqConfig with MqRegion (${MQ_REGIONS.join('/')}) and MqName.`,
    );
  }
  if (mq.MqMode !== undefined && mq.MqMode !== 'Queue' && mq.MqMode !== 'Topic') {
    throw invalidArgument('CallBackMqConfig.MqMode must be Queue or Topic.');
  }
  return { url, format, type, mqConfig: mq };
}

function parseRecognition(operation: XmlObject, templates: Record<string, EmulatorTemplate>) {
  const templateId = childText(operation, 'TemplateId') || undefined;
  if (templateId !== undefined) {
    const template = templates[templateId];
    if (!template) throw templateNotFound(templateId);
    // "当参数TemplateId不为空时，SpeechRecognition参数无效": the template wins.
    return { templateId, templateName: template.name, params: validateSpeechParams(template.speechRecognition) };
  }
  const inline = childObject(operation, 'SpeechRecognition');
  if (!inline) throw invalidArgument('Operation.SpeechRecognition or Operation.TemplateId is required.');
  return { params: validateSpeechParams(leaves(inline, 'SpeechRecognition')) };
}

function parseOperationExtras(operation: XmlObject): { userData?: string; jobLevel: number } {
  const userData = childText(operation, 'UserData');
  if (userData !== undefined && userData.length > 1024) {
    throw invalidArgument(`Operation.UserData is ${userData.length} characters; the limit is 1024.`);
  }
  const level = childText(operation, 'JobLevel') || '0';
  if (!['0', '1', '2'].includes(level)) throw invalidArgument('Operation.JobLevel must be 0, 1 or 2.');
  return { userData: userData || undefined, jobLevel: Number(level) };
}

/**
 * Parses and validates a submit body (`POST /asr_jobs` or `POST /jobs`) into a {@link JobSpec}; throws an
 * {@link ApiError} (`InvalidArgument` / `MissingContent`, HTTP 400) on the first problem found.
 */
export function parseSubmitRequest(body: string, templates: Record<string, EmulatorTemplate> = {}): JobSpec {
  const request = parseRequestBody(body);
  const tag = childText(request, 'Tag');
  if (tag !== 'SpeechRecognition') {
    throw invalidArgument(tag ? `Tag "${tag}" is not supported; use SpeechRecognition.` : 'Tag is required.');
  }
  const input = parseInput(request);
  const operation = childObject(request, 'Operation');
  if (!operation) throw invalidArgument('Operation is required.');
  const recognition = parseRecognition(operation, templates);
  return {
    input,
    templateId: recognition.templateId,
    templateName: recognition.templateName,
    speechRecognition: recognition.params,
    output: parseOutput(operation),
    ...parseOperationExtras(operation),
    queueId: childText(request, 'QueueId') || undefined,
    callback: parseCallback(request),
  };
}
