import { formatCiTime } from '../ci-time';
import { ApiError, checkCiName, invalidArgument, queueNotFound } from '../errors';
import type { ApiResponse } from '../http-util';
import type { RequestTarget } from '../request-target';
import { parseRequestBody } from '../submit-request';
import type { XmlObject } from '../xml';
import { childObject, childText } from '../xml';
import type { BoundBucket, EmulatedQueue, QueueNotify, SetupState } from './state';
import { commaList, page, paging, xmlResponse } from './wire';

function bucketXml(b: BoundBucket): XmlObject {
  return { BucketId: b.bucketId, Name: b.bucketId, Region: b.region, CreateTime: formatCiTime(b.createMs) };
}

/** `POST /asrbucket` on the bucket host: binds the bucket (idempotent). */
export function openBucket(state: SetupState, target: RequestTarget): ApiResponse {
  return xmlResponse(target, { AsrBucket: bucketXml(state.open(target.bucket, target.region)) });
}

/**
 * `DELETE /asrbucket` on the bucket host: unbinds it and deletes its queues ("关闭智能语音服务并删除队列", further
 * difference 2), answering `RequestId` and `BucketName` (row 2).
 */
export function closeBucket(state: SetupState, target: RequestTarget): ApiResponse {
  requireBound(state, target.bucket);
  state.close(target.bucket);
  return xmlResponse(target, { BucketName: target.bucket });
}

/** `GET /asrbucket` on the region host `ci.<region>.myqcloud.com`: bound buckets with filters and paging. */
export function describeBuckets(state: SetupState, target: RequestTarget): ApiResponse {
  const query = new Map(target.query);
  const regions = commaList(query.get('regions'));
  const exact = commaList(query.get('bucketNames'));
  const prefix = query.get('bucketName') ?? '';
  const matching = state
    .boundIn(regions === undefined || regions.includes('All') ? undefined : regions)
    .filter((b) => (exact === undefined || exact.includes(b.bucketId)) && b.bucketId.startsWith(prefix))
    .sort((a, b) => a.bucketId.localeCompare(b.bucketId));
  const { slice, fields } = page(matching, paging(query));
  return xmlResponse(target, { ...fields, ...(slice.length > 0 ? { AsrBucketList: slice.map(bucketXml) } : {}) });
}

function notifyXml(n: QueueNotify | undefined): XmlObject {
  if (!n) return { Url: '', Type: '', State: 'Off', Event: '' };
  return { Url: n.url, Event: n.event, Type: n.type, State: n.state, ResultFormat: n.resultFormat, ...(n.mq ?? {}) };
}

function queueXml(q: EmulatedQueue): XmlObject {
  return {
    QueueId: q.queueId,
    Name: q.name,
    State: q.state,
    NotifyConfig: notifyXml(q.notify),
    MaxSize: String(q.maxSize),
    MaxConcurrent: String(q.maxConcurrent),
    UpdateTime: formatCiTime(q.updateMs),
    CreateTime: formatCiTime(q.createMs),
    // DOC-EX shows `<BucketId>` before `<Category>` in GET and PUT /asrqueue answers (further difference 1).
    BucketId: q.bucket,
    Category: 'Speeching',
  };
}

/** Refuses ASR calls on a bucket without the ASR service, with the code the `unboundBucketCode` variant names. */
export function requireBound(state: SetupState, bucket: string): void {
  if (!state.isBound(bucket)) throw notBound(bucket, state.unboundCode);
}

/**
 * CI's refusal of ASR calls on a bucket without the ASR service: status 400, code a variant (row 1: no source gives
 * the ASR code; `MediaBucketUnBinded` is CI's documented code for the media services).
 */
export function notBound(bucket: string, code: string): ApiError {
  return new ApiError(400, code, `Bucket ${bucket} has not opened the ASR (speech recognition) service.`);
}

/** `GET /asrqueue`: the bucket's queues filtered by `queueIds` and `state`, with `NonExistPIDs`. */
export function describeQueues(state: SetupState, target: RequestTarget): ApiResponse {
  requireBound(state, target.bucket);
  const query = new Map(target.query);
  const wanted = query.get('state') || 'All';
  if (!['All', 'Active', 'Paused'].includes(wanted)) throw invalidArgument('state must be All, Active or Paused.');
  const ids = commaList(query.get('queueIds'));
  const own = state.queueOf(target.bucket);
  const found = ids === undefined ? [own] : ids.map((id) => state.queue(target.bucket, id));
  const queues = found.filter((q): q is EmulatedQueue => q !== undefined && (wanted === 'All' || q.state === wanted));
  const missing = (ids ?? []).filter((id) => state.queue(target.bucket, id) === undefined);
  const { slice, fields } = page(queues, paging(query));
  const response: XmlObject = { ...fields };
  if (slice.length > 0) response.QueueList = slice.map(queueXml);
  if (missing.length > 0) response.NonExistPIDs = missing;
  return xmlResponse(target, response);
}

/**
 * A queue's `NotifyConfig` (436/98454, row 9): `Event` and `Type` are required when `State` is `On` ("当 State=On 时,
 * 必选"), not defaulted; with `State` `Off` they may be empty. `ResultFormat` defaults to XML, as documented.
 */
function parseNotify(node: XmlObject): QueueNotify {
  const get = (name: string) => childText(node, name) ?? '';
  const state = get('State') || 'Off';
  const type = get('Type');
  const resultFormat = get('ResultFormat') || 'XML';
  const event = get('Event');
  if (state !== 'On' && state !== 'Off') throw invalidArgument('NotifyConfig.State must be On or Off.');
  if (state === 'On' && (type === '' || event === '')) {
    throw invalidArgument('NotifyConfig.Event and NotifyConfig.Type are required when NotifyConfig.State is On.');
  }
  if (type !== '' && type !== 'Url' && type !== 'TDMQ') throw invalidArgument('NotifyConfig.Type must be Url or TDMQ.');
  if (resultFormat !== 'XML' && resultFormat !== 'JSON')
    throw invalidArgument('NotifyConfig.ResultFormat must be XML or JSON.');
  const events = event === '' ? [] : event.split(',');
  if (!events.every((e) => ['TaskFinish', 'WorkflowFinish'].includes(e))) {
    throw invalidArgument('NotifyConfig.Event must list TaskFinish and/or WorkflowFinish.');
  }
  const url = get('Url');
  if (state === 'On' && type === 'Url' && !/^https?:\/\/[^/]+/i.test(url)) {
    throw invalidArgument('NotifyConfig.Url must be an http(s) URL when State is On and Type is Url.');
  }
  const mq = type === 'TDMQ' ? { MqMode: get('MqMode'), MqRegion: get('MqRegion'), MqName: get('MqName') } : undefined;
  if (mq && state === 'On' && (!mq.MqRegion || !mq.MqName)) {
    throw invalidArgument('NotifyConfig with Type TDMQ needs MqRegion and MqName.');
  }
  return { url, state, type, event, resultFormat, ...(mq ? { mq } : {}) };
}

/** `PUT /asrqueue/<id>`: renames, pauses/resumes and sets `NotifyConfig`; `Name`, `State`, `NotifyConfig` required. */
export function updateQueue(state: SetupState, target: RequestTarget, queueId: string, body: Buffer): ApiResponse {
  requireBound(state, target.bucket);
  const queue = state.queue(target.bucket, queueId);
  if (!queue) throw queueNotFound(queueId, target.bucket);
  const request = parseRequestBody(body.toString('utf8'));
  const bodyId = childText(request, 'QueueID');
  if (bodyId !== undefined && bodyId !== '' && bodyId !== queueId) {
    throw invalidArgument(`QueueID ${bodyId} does not match the queue in the path (${queueId}).`);
  }
  const name = childText(request, 'Name');
  const next = childText(request, 'State');
  if (!name) throw invalidArgument('Name is required.');
  checkCiName('Name', name, 128);
  if (next !== 'Active' && next !== 'Paused') throw invalidArgument('State must be Active or Paused.');
  // Documented as required (436/98454: "NotifyConfig | Request | 回调配置 | Container | 无 | 是"; row 9).
  const notify = childObject(request, 'NotifyConfig');
  if (!notify) throw invalidArgument('NotifyConfig is required.');
  const parsed = parseNotify(notify);
  queue.name = name;
  queue.state = next;
  queue.notify = parsed;
  queue.updateMs = Date.now();
  return xmlResponse(target, { Queue: queueXml(queue) });
}
