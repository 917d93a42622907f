import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { hotVocabXml, queueUpdateXml, templateXml as templateRequestXml } from '../src/ci/setup/xml-body';
import type { RunningEmulator } from '../src/emulator/index';
import {
  at,
  BUCKET,
  ciBase,
  list,
  proxyClient,
  REGION,
  sdkRequest,
  startTestEmulator,
  submit,
  submitXml,
  text,
} from './fixtures/emulator-helpers';

const REGION_HOST = `http://ci.${REGION}.myqcloud.com`;

function send(cos: COS, method: string, path: string, extra: Record<string, unknown> = {}, base = ciBase()) {
  return sdkRequest(cos, { Method: method, Key: path, Url: `${base}/${path}`, ...extra });
}

async function refused(run: Promise<unknown>, status: number, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(run, (err: { statusCode?: number; code?: string; message?: string }) => {
    assert.equal(err.statusCode, status);
    assert.equal(err.code, code);
    if (message) assert.match(err.message ?? '', message);
    return true;
  });
}

describe('emulator setup routes through the real cos-nodejs-sdk-v5', () => {
  let emulator: RunningEmulator;
  let cos: COS;
  before(async () => {
    emulator = await startTestEmulator({ asrBuckets: [BUCKET] });
    cos = proxyClient(emulator);
  });
  after(async () => {
    await emulator?.close();
  });

  it('serves GET /asrbucket on the region host only, with filters and paging', async () => {
    const answer = await send(
      cos,
      'GET',
      'asrbucket',
      { Query: { regions: REGION, bucketNames: BUCKET } },
      REGION_HOST,
    );
    assert.equal(answer.headers.server, 'tencent-ci');
    assert.equal(text(answer.Response, 'TotalCount'), '1');
    assert.equal(text(answer.Response, 'AsrBucketList.BucketId'), BUCKET);
    // Setup answers start with the request's id (ci-wire-facts row 4).
    assert.equal(text(answer.Response, 'RequestId'), answer.headers['x-ci-request-id']);
    assert.equal(Object.keys(answer.Response as object)[0], 'RequestId');
    const none = await send(cos, 'GET', 'asrbucket', { Query: { regions: 'ap-beijing' } }, REGION_HOST);
    assert.deepEqual(list(none.Response, 'AsrBucketList'), []);
    await refused(send(cos, 'GET', 'asrbucket'), 400, 'InvalidHost');
    await refused(send(cos, 'GET', 'asr_jobs', {}, REGION_HOST), 400, 'InvalidHost');
  });

  it('refuses jobs and queue calls on an unbound bucket until POST /asrbucket, and again after DELETE', async () => {
    const other = ciBase('late-1250000000', REGION);
    const body = submitXml({ output: { Bucket: 'late-1250000000', Region: REGION, Object: 'o.txt' } });
    // Code by analogy with CI's MediaBucketUnBinded (row 1; `unboundBucketCode` variant).
    await refused(submit(cos, body, other), 400, 'MediaBucketUnBinded');
    await refused(send(cos, 'GET', 'asrqueue', {}, other), 400, 'MediaBucketUnBinded');
    const opened = await send(cos, 'POST', 'asrbucket', {}, other);
    assert.equal(text(opened.Response, 'AsrBucket.BucketId'), 'late-1250000000');
    assert.equal(text(opened.Response, 'RequestId'), opened.headers['x-ci-request-id']);
    const queues = await send(cos, 'GET', 'asrqueue', { Query: { pageNumber: '1', pageSize: '10' } }, other);
    assert.equal(text(queues.Response, 'RequestId'), queues.headers['x-ci-request-id']);
    assert.equal(text(queues.Response, 'QueueList.MaxConcurrent'), '10');
    assert.equal(text(queues.Response, 'QueueList.Category'), 'Speeching');
    // DOC-EX shows the queue's BucketId (further difference 1).
    assert.equal(text(queues.Response, 'QueueList.BucketId'), 'late-1250000000');
    const queueId = text(queues.Response, 'QueueList.QueueId')!;
    const pause = queueUpdateXml(queueId, { name: 'held', state: 'Paused', notify: { State: 'Off' } });
    await send(cos, 'PUT', `asrqueue/${queueId}`, { Body: pause, ContentType: 'application/xml' }, other);
    // DELETE answers RequestId and BucketName (row 2) and deletes the queue (further difference 2).
    const closed = await send(cos, 'DELETE', 'asrbucket', {}, other);
    assert.deepEqual(Object.keys(closed.Response as object), ['RequestId', 'BucketName']);
    assert.equal(text(closed.Response, 'BucketName'), 'late-1250000000');
    assert.equal(text(closed.Response, 'RequestId'), closed.headers['x-ci-request-id']);
    await refused(submit(cos, body, other), 400, 'MediaBucketUnBinded');
    await send(cos, 'POST', 'asrbucket', {}, other);
    const fresh = await send(cos, 'GET', 'asrqueue', {}, other);
    assert.deepEqual(
      [text(fresh.Response, 'QueueList.Name'), text(fresh.Response, 'QueueList.State')],
      ['asr-default', 'Active'],
    );
  });

  it('updates a queue from the body the client renders and checks it', async () => {
    const queues = await send(cos, 'GET', 'asrqueue', { Query: { queueIds: 'pmissing', state: 'All' } });
    assert.deepEqual(list(queues.Response, 'NonExistPIDs'), ['pmissing']);
    const own = await send(cos, 'GET', 'asrqueue');
    const queueId = text(own.Response, 'QueueList.QueueId')!;
    const put = (xml: string) => send(cos, 'PUT', `asrqueue/${queueId}`, { Body: xml, ContentType: 'application/xml' });
    const off = { State: 'Off' } as const;
    await refused(put(queueUpdateXml(queueId, { name: 'q', state: 'Stopped', notify: off })), 400, 'InvalidArgument');
    await refused(put(queueUpdateXml('pother', { name: 'q', state: 'Active', notify: off })), 400, 'InvalidArgument');
    const notify = { State: 'On', Type: 'Url', Url: 'ftp://x' } as const;
    await refused(put(queueUpdateXml(queueId, { name: 'q', state: 'Active', notify })), 400, 'InvalidArgument');
    // Documented rules (436/98454, row 9): NotifyConfig required; Event and Type required when it is On; names of
    // at most 128 characters from 中文/英文/数字/_/-/*.
    const raw = (inner: string) => `<Request><Name>q</Name><State>Active</State>${inner}</Request>`;
    await refused(put(raw('')), 400, 'InvalidArgument', /NotifyConfig is required/);
    const onWithoutType =
      '<NotifyConfig><State>On</State><Url>http://h/cb</Url><Event>TaskFinish</Event></NotifyConfig>';
    await refused(put(raw(onWithoutType)), 400, 'InvalidArgument', /Event and NotifyConfig.Type are required/);
    await refused(put(queueUpdateXml(queueId, { name: 'a b', state: 'Active', notify: off })), 400, 'InvalidArgument');
    const long = 'q'.repeat(129);
    await refused(put(queueUpdateXml(queueId, { name: long, state: 'Active', notify: off })), 400, 'InvalidArgument');
    await refused(
      send(cos, 'PUT', `asrqueue/p${'0'.repeat(32)}`, { Body: raw('<NotifyConfig><State>Off</State></NotifyConfig>') }),
      400,
      'QueueNotFound',
    );
    const ok = await put(queueUpdateXml(queueId, { name: '语音_队列-1*', state: 'Paused', notify: off }));
    assert.equal(text(ok.Response, 'RequestId'), ok.headers['x-ci-request-id']);
    assert.equal(text(ok.Response, 'Queue.Name'), '语音_队列-1*');
    assert.equal(text(ok.Response, 'Queue.State'), 'Paused');
    assert.equal(text(ok.Response, 'Queue.BucketId'), BUCKET);
    await put(queueUpdateXml(queueId, { name: 'renamed', state: 'Active', notify: off }));
  });

  it('stores templates and hot-word tables, refusing unknown ids and bad bodies', async () => {
    const xml = { ContentType: 'application/xml' };
    await refused(
      send(cos, 'POST', 'template', { ...xml, Body: '<Request><Tag>Animation</Tag></Request>' }),
      400,
      'InvalidArgument',
    );
    const tpl = templateRequestXml({ Name: 'x', SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } });
    const created = await send(cos, 'POST', 'template', { ...xml, Body: tpl });
    const id = text(created.Response, 'Template.TemplateId')!;
    assert.equal(text(created.Response, 'RequestId'), created.headers['x-ci-request-id']);
    assert.equal(text(created.Response, 'Template.State'), 'Normal', 'further difference 4');
    assert.equal(text(created.Response, 'Template.Tag'), 'SpeechRecognition');
    // Duplicate names are refused (CI error code 1112); names use CI's character set (further difference 5).
    await refused(send(cos, 'POST', 'template', { ...xml, Body: tpl }), 400, 'TemplateNameDuplicate');
    const badName = templateRequestXml({
      Name: 'a.b',
      SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 },
    });
    await refused(send(cos, 'POST', 'template', { ...xml, Body: badName }), 400, 'InvalidArgument', /may hold only/);
    const updated = await send(cos, 'PUT', `template/${id}`, { ...xml, Body: tpl });
    // The documented PUT /template sample has no RequestId (436/78950, row 4).
    assert.equal(text(updated.Response, 'RequestId'), undefined);
    assert.equal(text(updated.Response, 'Template.State'), 'Normal');
    assert.equal(text(created.Response, 'Template.SpeechRecognition.ConvertNumMode'), '1', 'defaults are echoed');
    const page = await send(cos, 'GET', 'template', { Query: { tag: 'SpeechRecognition', ids: id } });
    assert.equal(text(page.Response, 'TemplateList.TemplateId'), id);
    const deleted = await send(cos, 'DELETE', `template/${id}`);
    assert.deepEqual(Object.keys(deleted.Response as object), ['RequestId', 'TemplateId']);
    await refused(send(cos, 'PUT', `template/${id}`, { ...xml, Body: tpl }), 400, 'TemplateNotFound');
    await refused(submit(cos, submitXml({ operation: { TemplateId: id } })), 400, 'TemplateNotFound');
    const words = { TableName: 't', VocabularyWeights: [{ Vocabulary: 'a', Weight: 3 }] };
    await refused(
      send(cos, 'POST', 'asrhotvocabtable', { ...xml, Body: '<Request><TableName>t</TableName></Request>' }),
      400,
      'InvalidArgument',
    );
    const table = await send(cos, 'POST', 'asrhotvocabtable', { ...xml, Body: hotVocabXml(words) });
    const tableId = text(table.Response, 'TableId')!;
    assert.equal(text(table.Response, 'RequestId'), table.headers['x-ci-request-id']);
    const str =
      '<Request><TableId>' +
      tableId +
      '</TableId><TableName>t2</TableName><VocabularyWeightStr>甲|5,乙|100</VocabularyWeightStr></Request>';
    await send(cos, 'PUT', 'asrhotvocabtable', { ...xml, Body: str });
    const got = await send(cos, 'GET', `asrhotvocabtable/${tableId}`);
    assert.equal(text(got.Response, 'VocabularyWeightStr'), '甲|5,乙|100');
    assert.equal(list(got.Response, 'VocabularyWeights').length, 2);
    const listed = await send(cos, 'GET', 'asrhotvocabtable', { Query: { offset: '0', limit: '5' } });
    assert.equal(text(listed.Response, 'TotalCount'), '1');
    const withBadTable = submitXml({
      speech: { EngineModelType: '16k_zh', ChannelNum: 1, HotVocabularyTableId: 'nope' },
    });
    await refused(submit(cos, withBadTable), 400, 'InvalidArgument');
    await send(cos, 'DELETE', `asrhotvocabtable/${tableId}`);
    // No source names the code for an unknown table; ResourceNotFound is CI's closest documented one (row 8).
    await refused(send(cos, 'GET', `asrhotvocabtable/${tableId}`), 400, 'ResourceNotFound');
    assert.equal(at(emulator.counters().requests, 'GET /asrhotvocabtable/:id'), 2);
  });
});
