import { CiResponseError } from '../errors';
import { asArray, compact, num, record, requiredNum, requiredText, text } from '../wire';
import type {
  AsrBucket,
  AsrBucketPage,
  AsrQueue,
  AsrQueuePage,
  AsrTemplate,
  AsrTemplatePage,
  CiPaging,
  HotVocabTable,
  HotVocabTablePage,
  QueueNotifyConfig,
} from './types';

/** The `Response` element of a parsed body. */
function response(data: unknown): Record<string, unknown> {
  const body = record(data).Response;
  if (typeof body !== 'object' || body === null) throw new CiResponseError('The CI response has no Response element');
  return record(body);
}

function paging(r: Record<string, unknown>): CiPaging {
  return {
    totalCount: num(r.TotalCount, 'TotalCount') ?? 0,
    pageNumber: num(r.PageNumber, 'PageNumber') ?? 1,
    pageSize: num(r.PageSize, 'PageSize') ?? 10,
  };
}

function bucket(raw: unknown): AsrBucket {
  const b = record(raw);
  return compact({
    bucketId: requiredText(b.BucketId ?? b.Name, 'AsrBucketList.BucketId'),
    name: text(b.Name),
    region: text(b.Region),
    createTime: text(b.CreateTime),
    aliasBucketId: text(b.AliasBucketId),
  });
}

/** `GET /asrbucket` → {@link AsrBucketPage}. */
export function parseBucketPage(data: unknown): AsrBucketPage {
  const r = response(data);
  return { ...paging(r), buckets: asArray(r.AsrBucketList).map(bucket) };
}

/** `POST /asrbucket` → the bound bucket (`AsrBucket`), when CI echoes it. */
export function parseOpenBucket(data: unknown): AsrBucket | undefined {
  const raw = record(data).Response === undefined ? undefined : response(data).AsrBucket;
  return raw === undefined || raw === '' ? undefined : bucket(raw);
}

function notify(raw: unknown): QueueNotifyConfig | undefined {
  const n = record(raw);
  const state = text(n.State);
  if (state !== 'On' && state !== 'Off') return undefined;
  return compact<QueueNotifyConfig>({
    State: state,
    Url: text(n.Url),
    Type: text(n.Type) as QueueNotifyConfig['Type'],
    Event: text(n.Event),
    ResultFormat: text(n.ResultFormat) as QueueNotifyConfig['ResultFormat'],
    MqMode: text(n.MqMode) as QueueNotifyConfig['MqMode'],
    MqRegion: text(n.MqRegion),
    MqName: text(n.MqName),
  });
}

function queue(raw: unknown): AsrQueue {
  const q = record(raw);
  const state = requiredText(q.State, 'QueueList.State');
  if (state !== 'Active' && state !== 'Paused') throw new CiResponseError(`QueueList.State is "${state}"`);
  return compact({
    queueId: requiredText(q.QueueId, 'QueueList.QueueId'),
    name: text(q.Name),
    state,
    maxSize: num(q.MaxSize, 'QueueList.MaxSize'),
    maxConcurrent: num(q.MaxConcurrent, 'QueueList.MaxConcurrent'),
    createTime: text(q.CreateTime),
    updateTime: text(q.UpdateTime),
    notifyConfig: notify(q.NotifyConfig),
    category: text(q.Category),
  });
}

/** `GET /asrqueue` → {@link AsrQueuePage}. */
export function parseQueuePage(data: unknown): AsrQueuePage {
  const r = response(data);
  return {
    ...paging(r),
    queues: asArray(r.QueueList).map(queue),
    nonExistentQueueIds: asArray(r.NonExistPIDs).map((id) => requiredText(id, 'NonExistPIDs')),
  };
}

/** `PUT /asrqueue/<id>` → the queue as updated. */
export function parseQueue(data: unknown): AsrQueue {
  return queue(response(data).Queue);
}

function template(raw: unknown): AsrTemplate {
  const t = record(raw);
  const sr = Object.fromEntries(
    Object.entries(record(t.SpeechRecognition)).flatMap(([k, v]) => (text(v) === undefined ? [] : [[k, text(v)!]])),
  );
  return compact({
    templateId: requiredText(t.TemplateId, 'Template.TemplateId'),
    name: requiredText(t.Name, 'Template.Name'),
    tag: text(t.Tag),
    category: text(t.Category),
    bucketId: text(t.BucketId),
    createTime: text(t.CreateTime),
    updateTime: text(t.UpdateTime),
    speechRecognition: sr,
  });
}

/** `POST /template` and `PUT /template/<id>` → the template. */
export function parseTemplate(data: unknown): AsrTemplate {
  return template(response(data).Template);
}

/** `GET /template` → {@link AsrTemplatePage}. */
export function parseTemplatePage(data: unknown): AsrTemplatePage {
  const r = response(data);
  return { ...paging(r), templates: asArray(r.TemplateList).map(template) };
}

function table(raw: unknown): HotVocabTable {
  const t = record(raw);
  const words = asArray(t.VocabularyWeights).map((w) => ({
    Vocabulary: requiredText(record(w).Vocabulary, 'VocabularyWeights.Vocabulary'),
    Weight: requiredNum(record(w).Weight, 'VocabularyWeights.Weight'),
  }));
  return compact({
    tableId: requiredText(t.TableId, 'TableId'),
    tableName: text(t.TableName),
    tableDescription: text(t.TableDescription),
    words,
    createTime: text(t.CreateTime),
    updateTime: text(t.UpdateTime),
  });
}

/** `POST`/`PUT /asrhotvocabtable` → the table id. */
export function parseTableId(data: unknown): string {
  return requiredText(response(data).TableId, 'TableId');
}

/** `GET /asrhotvocabtable/<id>` → the table (its fields sit directly in `Response`). */
export function parseTable(data: unknown): HotVocabTable {
  return table(response(data));
}

/** `GET /asrhotvocabtable` → {@link HotVocabTablePage}. */
export function parseTablePage(data: unknown): HotVocabTablePage {
  const r = response(data);
  return { totalCount: num(r.TotalCount, 'TotalCount') ?? 0, tables: asArray(r.VocabularyTable).map(table) };
}
