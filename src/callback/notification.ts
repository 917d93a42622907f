import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { CiJobState } from '../ci/job-state';
import { isCiJobState } from '../ci/job-state';
import { isRecord } from '../ci/validate';
import { TencentCiAsrError } from '../shared/errors';

/** One `JobsDetail` entry of a CI job notification, reduced to what the receiver uses. */
export interface CiCallbackNotification {
  /** `JobsDetail/JobId`. */
  jobId: string;
  /** `JobsDetail/State`. */
  state: CiJobState;
  /** `JobsDetail/Code`, when present and not empty. */
  code?: string;
  /** `JobsDetail/Message`, when present and not empty. */
  message?: string;
  /** `Operation/UserData`: the job tag the submit activity set, which a v2 callback URL is bound to. */
  userData?: string;
  /** Result fields from `Operation/SpeechRecognitionResult`, when the job produced one. */
  result?: { objectName?: string; detailObjectName?: string; audioTime?: string };
}

/** Why a callback body was refused; every reason maps to HTTP 400. */
export type CallbackPayloadProblem = 'doctype' | 'malformed' | 'missing-fields';

/**
 * A callback body that cannot be turned into notifications. Thrown by `parseXmlNotification` and
 * `parseJsonNotification`; `problem` picks the receiver's answer.
 */
export class CallbackPayloadError extends TencentCiAsrError {
  override readonly name = 'CallbackPayloadError';

  constructor(
    message: string,
    readonly problem: CallbackPayloadProblem,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Entities and DOCTYPE are refused outright, before any parser sees the text: CI never sends them, and they are how
 * XML bombs and external-entity reads work. Only the five predefined entities and character references are decoded,
 * each into exactly one character, so nothing can expand.
 */
const DOCTYPE_PATTERN = /<!(DOCTYPE|ENTITY)/i;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY_REF = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;

function decodePredefined(text: string): string {
  return text.replace(ENTITY_REF, (whole, hex?: string, dec?: string, name?: string) => {
    if (name) return PREDEFINED[name] ?? whole;
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  processEntities: false,
  htmlEntities: false,
  maxNestedTags: 64,
  isArray: (tagName) => tagName === 'JobsDetail',
  tagValueProcessor: (_tagName, value) => decodePredefined(value),
});

/** Parses an XML notification (`<Response><EventName/><JobsDetail>…</JobsDetail></Response>`). */
export function parseXmlNotification(text: string): CiCallbackNotification[] {
  if (DOCTYPE_PATTERN.test(text))
    throw new CallbackPayloadError('XML callback contains a DOCTYPE or ENTITY', 'doctype');
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new CallbackPayloadError(`XML callback is not well formed (line ${valid.err.line})`, 'malformed');
  return notificationsIn('XML', () => xmlParser.parse(text));
}

/** Parses a JSON notification: `JobsDetail` an object or an array, with or without a `Response` wrapper. */
export function parseJsonNotification(text: string): CiCallbackNotification[] {
  return notificationsIn('JSON', () => JSON.parse(text));
}

/** Runs `parse`; a parser's throw becomes a `malformed` {@link CallbackPayloadError}. */
function notificationsIn(format: 'XML' | 'JSON', parse: () => unknown): CiCallbackNotification[] {
  let doc: unknown;
  try {
    doc = parse();
  } catch (err) {
    throw new CallbackPayloadError(`${format} callback could not be parsed`, 'malformed', { cause: err });
  }
  return notificationsFrom(doc);
}

/** A leaf as CI sends it: XML gives strings, JSON strings or numbers. Anything else counts as absent. */
function leaf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function notificationsFrom(doc: unknown): CiCallbackNotification[] {
  const root = isRecord(doc) && isRecord(doc.Response) ? doc.Response : doc;
  if (!isRecord(root)) throw new CallbackPayloadError('callback body is not an object', 'missing-fields');
  const details = Array.isArray(root.JobsDetail) ? root.JobsDetail : [root.JobsDetail];
  if (details.length === 0 || details.length > 100) {
    throw new CallbackPayloadError(`callback has ${details.length} JobsDetail entries`, 'missing-fields');
  }
  return details.map(toNotification);
}

function toNotification(detail: unknown): CiCallbackNotification {
  if (!isRecord(detail)) throw new CallbackPayloadError('JobsDetail is not an object', 'missing-fields');
  const jobId = leaf(detail.JobId)?.trim();
  const state = leaf(detail.State)?.trim();
  if (!jobId || jobId.length > 256) throw new CallbackPayloadError('JobsDetail has no usable JobId', 'missing-fields');
  if (!isCiJobState(state)) throw new CallbackPayloadError('JobsDetail has no known State', 'missing-fields');
  const notification: CiCallbackNotification = { jobId, state };
  const code = leaf(detail.Code);
  const message = leaf(detail.Message);
  if (code) notification.code = code.slice(0, 256);
  if (message) notification.message = message.slice(0, 2048);
  const operation = detail.Operation;
  const userData = isRecord(operation) ? leaf(operation.UserData) : undefined;
  if (userData) notification.userData = userData.slice(0, 1024);
  const result = resultOf(detail);
  if (result) notification.result = result;
  return notification;
}

function resultOf(detail: Record<string, unknown>): CiCallbackNotification['result'] {
  const operation = detail.Operation;
  const sr = isRecord(operation) ? operation.SpeechRecognitionResult : undefined;
  if (!isRecord(sr)) return undefined;
  const result: NonNullable<CiCallbackNotification['result']> = {};
  const objectName = leaf(sr.ObjectName);
  const detailObjectName = leaf(sr.DetailObjectName);
  const audioTime = leaf(sr.AudioTime);
  if (objectName) result.objectName = objectName;
  if (detailObjectName) result.detailObjectName = detailObjectName;
  if (audioTime) result.audioTime = audioTime;
  return result;
}
