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

async function refused(run: Promise<unknown>, status: number, code: string): Promise<void> {
  await assert.rejects(run, (err: { statusCode?: number; code?: string }) => {
    assert.equal(err.statusCode, status);
    assert.equal(err.code, code);
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
    const none = await send(cos, 'GET', 'asrbucket', { Query: { regions: 'ap-beijing' } }, REGION_HOST);
    assert.deepEqual(list(none.Response, 'AsrBucketList'), []);
    await refused(send(cos, 'GET', 'asrbucket'), 400, 'InvalidHost');
    await refused(send(cos, 'GET', 'asr_jobs', {}, REGION_HOST), 400, 'InvalidHost');
  });

  it('refuses jobs and queue calls on an unbound bucket until POST /asrbucket, and again after DELETE', async () => {
    const other = ciBase('late-1250000000', REGION);
    const body = submitXml({ output: { Bucket: 'late-1250000000', Region: REGION, Object: 'o.txt' } });
    await refused(submit(cos, body, other), 400, 'InvalidArgument');
    await refused(send(cos, 'GET', 'asrqueue', {}, other), 400, 'InvalidArgument');
    const opened = await send(cos, 'POST', 'asrbucket', {}, other);
    assert.equal(text(opened.Response, 'AsrBucket.BucketId'), 'late-1250000000');
    const queues = await send(cos, 'GET', 'asrqueue', { Query: { pageNumber: '1', pageSize: '10' } }, other);
    assert.equal(text(queues.Response, 'QueueList.MaxConcurrent'), '10');
    assert.equal(text(queues.Response, 'QueueList.Category'), 'Speeching');
    await send(cos, 'DELETE', 'asrbucket', {}, other);
    await refused(submit(cos, body, other), 400, 'InvalidArgument');
  });

  it('updates a queue from the body the client renders and checks it', async () => {
    const queues = await send(cos, 'GET', 'asrqueue', { Query: { queueIds: 'pmissing', state: 'All' } });
    assert.deepEqual(list(queues.Response, 'NonExistPIDs'), ['pmissing']);
    const own = await send(cos, 'GET', 'asrqueue');
    const queueId = text(own.Response, 'QueueList.QueueId')!;
    const put = (xml: string) => send(cos, 'PUT', `asrqueue/${queueId}`, { Body: xml, ContentType: 'application/xml' });
    await refused(put(queueUpdateXml(queueId, { name: 'q', state: 'Stopped' })), 400, 'InvalidArgument');
    await refused(put(queueUpdateXml('pother', { name: 'q', state: 'Active' })), 400, 'InvalidArgument');
    const notify = { State: 'On', Type: 'Url', Url: 'ftp://x' } as const;
    await refused(put(queueUpdateXml(queueId, { name: 'q', state: 'Active', notify })), 400, 'InvalidArgument');
    const ok = await put(queueUpdateXml(queueId, { name: 'renamed', state: 'Paused' }));
    assert.equal(text(ok.Response, 'Queue.Name'), 'renamed');
    assert.equal(text(ok.Response, 'Queue.State'), 'Paused');
    await put(queueUpdateXml(queueId, { name: 'renamed', state: 'Active' }));
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
    assert.equal(text(created.Response, 'Template.Tag'), 'SpeechRecognition');
    assert.equal(text(created.Response, 'Template.SpeechRecognition.ConvertNumMode'), '1', 'defaults are echoed');
    const page = await send(cos, 'GET', 'template', { Query: { tag: 'SpeechRecognition', ids: id } });
    assert.equal(text(page.Response, 'TemplateList.TemplateId'), id);
    await send(cos, 'DELETE', `template/${id}`);
    await refused(send(cos, 'PUT', `template/${id}`, { ...xml, Body: tpl }), 400, 'InvalidArgument');
    const words = { TableName: 't', VocabularyWeights: [{ Vocabulary: 'a', Weight: 3 }] };
    await refused(
      send(cos, 'POST', 'asrhotvocabtable', { ...xml, Body: '<Request><TableName>t</TableName></Request>' }),
      400,
      'InvalidArgument',
    );
    const table = await send(cos, 'POST', 'asrhotvocabtable', { ...xml, Body: hotVocabXml(words) });
    const tableId = text(table.Response, 'TableId')!;
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
    await refused(send(cos, 'GET', `asrhotvocabtable/${tableId}`), 400, 'InvalidArgument');
    assert.equal(at(emulator.counters().requests, 'GET /asrhotvocabtable/:id'), 2);
  });
});
