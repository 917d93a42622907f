import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CiError, CiValidationError } from '../src/ci/errors';
import { createTencentClients } from '../src/tencent/clients';
import type { TencentClients } from '../src/tencent/clients';
import type { AsrJob, SpeechRecognitionParams, SubmitAsrJobRequest } from '../src/ci/types';
import type { RunningEmulator } from '../src/emulator';
import { BUCKET, CREDS, REGION, startCallbackReceiver, startFreshAccount, waitFor } from './fixtures/emulator-helpers';

const OUTPUT = { Region: REGION, Bucket: BUCKET, Object: 'out/setup.txt' };

function job(extra: { SpeechRecognition?: SpeechRecognitionParams } = {}): SubmitAsrJobRequest {
  const SpeechRecognition = extra.SpeechRecognition ?? { EngineModelType: '16k_zh', ChannelNum: 1 };
  return { Input: { Object: 'in/a.wav' }, Operation: { SpeechRecognition, Output: OUTPUT } };
}

function requests(emu: RunningEmulator, route: string): number {
  return emu.counters().requests[route] ?? 0;
}

async function rejects(run: () => Promise<unknown>, check: (err: CiError) => void): Promise<void> {
  await assert.rejects(run, (err: unknown) => {
    assert.ok(err instanceof CiError, `expected a CiError, got ${String(err)}`);
    check(err);
    return true;
  });
}

async function stateOf(clients: TencentClients, jobId: string, states: string[]): Promise<AsrJob> {
  return waitFor(async () => {
    const found = (await clients.ci.get([jobId])).jobs[0];
    return found && states.includes(found.State) ? found : undefined;
  });
}

describe('CiSetupClient against the emulator (real SDK, signed requests)', () => {
  let emu: RunningEmulator;
  let clients: TencentClients;
  before(async () => {
    // A fresh account: no bucket bound to ASR.
    ({ emu, clients } = await startFreshAccount(1));
  });
  after(async () => {
    await emu?.close();
  });

  it('refuses jobs on an unbound bucket, binds it, and finds it on the region host', async () => {
    await rejects(
      () => clients.ci.submit(job()),
      (err) => {
        // Code by analogy with CI's MediaBucketUnBinded (docs/emulator.md, row 1; a variant).
        assert.equal(err.code, 'MediaBucketUnBinded');
        assert.equal(err.statusCode, 400);
        assert.equal(err.retryable, false);
        assert.match(err.message, /has not opened the ASR/);
      },
    );
    assert.equal(await clients.setup.isBucketBound(), false);
    const bound = await clients.setup.openBucket();
    assert.equal(bound?.bucketId, BUCKET);
    assert.equal(bound?.region, REGION);
    assert.equal(await clients.setup.isBucketBound(), true);
    assert.equal(requests(emu, 'GET /asrbucket'), 2);
    const page = await clients.setup.describeBuckets({ regions: ['All'], bucketName: 'demo', pageSize: 1 });
    assert.deepEqual(
      { total: page.totalCount, size: page.pageSize, ids: page.buckets.map((b) => b.bucketId) },
      { total: 1, size: 1, ids: [BUCKET] },
    );
    assert.equal((await clients.setup.describeBuckets({ bucketName: 'other' })).buckets.length, 0);
  });

  it('describes the queue with MaxConcurrent and NonExistPIDs, pauses it (jobs wait in Pause) and resumes it', async () => {
    const page = await clients.setup.describeQueues({ queueIds: [await clients.setup.defaultQueueId(), 'pnope'] });
    const [queue] = page.queues;
    assert.ok(queue);
    assert.match(queue.queueId, /^p[0-9a-f]{32}$/);
    assert.deepEqual([queue.state, queue.maxSize, queue.maxConcurrent], ['Active', 10000, 1]);
    assert.deepEqual(page.nonExistentQueueIds, ['pnope']);

    const paused = await clients.setup.updateQueue(queue.queueId, { state: 'Paused' });
    assert.equal(paused.state, 'Paused');
    assert.equal(paused.name, queue.name, 'the name was kept');
    assert.equal((await clients.setup.describeQueues({ state: 'Active' })).queues.length, 0);
    const held = await clients.ci.submit(job());
    assert.equal((await stateOf(clients, held.JobId, ['Pause'])).State, 'Pause');
    await clients.setup.updateQueue(queue.queueId, { state: 'Active' });
    assert.equal((await stateOf(clients, held.JobId, ['Success'])).State, 'Success');
  });

  it('never runs more jobs at once than the queue MaxConcurrent', async () => {
    const ids = await Promise.all([1, 2, 3].map(async () => (await clients.ci.submit(job())).JobId));
    let most = 0;
    await waitFor(async () => {
      const { jobs } = await clients.ci.get(ids);
      most = Math.max(most, jobs.filter((j) => j.State === 'Running').length);
      return jobs.every((j) => j.State === 'Success') ? true : undefined;
    });
    assert.ok(most <= 1, `${most} jobs ran at once`);
  });

  it("sends the queue's NotifyConfig callback for jobs without their own CallBack", async () => {
    const receiver = await startCallbackReceiver();
    try {
      const queueId = await clients.setup.defaultQueueId();
      const updated = await clients.setup.updateQueue(queueId, {
        notifyConfig: { State: 'On', Type: 'Url', Url: receiver.url, Event: 'TaskFinish', ResultFormat: 'JSON' },
      });
      assert.equal(updated.notifyConfig?.Url, receiver.url);
      const plain = await clients.ci.submit(job());
      const silenced = await clients.ci.submit({ ...job(), CallBack: 'no' });
      await stateOf(clients, silenced.JobId, ['Success']);
      const got = await waitFor(() => receiver.received.find((r) => r.body.includes(plain.JobId)));
      assert.equal(got.contentType, 'application/json');
      await stateOf(clients, plain.JobId, ['Success']);
      assert.ok(!receiver.received.some((r) => r.body.includes(silenced.JobId)), 'CallBack "no" was called back');
      await clients.setup.updateQueue(queueId, { notifyConfig: { State: 'Off' } });
    } finally {
      await receiver.close();
    }
  });

  it('manages SpeechRecognition templates usable by TemplateId, refused once deleted', async () => {
    const before = requests(emu, 'POST /template');
    await assert.rejects(
      () => clients.setup.createTemplate({ Name: '', SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 2 } }),
      (err: unknown) => err instanceof CiValidationError && err.issues.length === 2,
    );
    assert.equal(requests(emu, 'POST /template'), before, 'nothing sent for bad input');
    const name = `tpl-${randomUUID().slice(0, 8)}`;
    const created = await clients.setup.createTemplate({
      Name: name,
      SpeechRecognition: { EngineModelType: '8k_zh', ChannelNum: 2, ResTextFormat: 1 },
    });
    assert.match(created.templateId, /^t1[0-9a-f]{32}$/);
    assert.equal(created.speechRecognition.ChannelNum, '2');
    const listed = await clients.setup.listTemplates({ name: name.slice(0, 6), pageSize: 5 });
    assert.deepEqual(
      listed.templates.map((t) => t.templateId),
      [created.templateId],
    );
    assert.equal((await clients.setup.listTemplates({ category: 'Official' })).templates.length, 0);
    const updated = await clients.setup.updateTemplate(created.templateId, {
      Name: `${name}-2`,
      SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 },
    });
    assert.equal(updated.name, `${name}-2`);
    assert.equal((await clients.setup.getTemplate(created.templateId))?.speechRecognition.EngineModelType, '16k_zh');
    const viaTemplate = await clients.ci.submit({
      Input: { Object: 'in/a.wav' },
      Operation: { TemplateId: created.templateId, Output: OUTPUT },
    });
    assert.equal(viaTemplate.Operation.TemplateId, created.templateId);
    await clients.setup.deleteTemplate(created.templateId);
    assert.equal(await clients.setup.getTemplate(created.templateId), undefined);
    await rejects(
      () =>
        clients.ci.submit({
          Input: { Object: 'in/a.wav' },
          Operation: { TemplateId: created.templateId, Output: OUTPUT },
        }),
      (err) => assert.deepEqual([err.code, err.retryable], ['TemplateNotFound', false]),
    );
  });

  it('manages hot-word tables referenced by jobs and templates', async () => {
    const tableId = await clients.setup.createHotVocabTable({
      TableName: 'names',
      TableDescription: 'people',
      VocabularyWeights: [
        { Vocabulary: '腾讯云', Weight: 10 },
        { Vocabulary: 'Temporal', Weight: 11 },
      ],
    });
    assert.match(tableId, /^[0-9a-f]{32}$/);
    const table = await clients.setup.getHotVocabTable(tableId);
    assert.deepEqual(table.words, [
      { Vocabulary: '腾讯云', Weight: 10 },
      { Vocabulary: 'Temporal', Weight: 11 },
    ]);
    await clients.setup.updateHotVocabTable(tableId, {
      TableName: 'names-2',
      VocabularyWeights: [{ Vocabulary: 'CI', Weight: 5 }],
    });
    assert.equal((await clients.setup.getHotVocabTable(tableId)).tableName, 'names-2');
    const page = await clients.setup.listHotVocabTables({ offset: 0, limit: 10 });
    assert.deepEqual([page.totalCount, page.tables[0]?.tableId], [1, tableId]);
    const withTable = job({
      SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1, HotVocabularyTableId: tableId },
    });
    assert.ok((await clients.ci.submit(withTable)).JobId);
    const template = await clients.setup.createTemplate({
      Name: 'with-words',
      SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1, HotVocabularyTableId: tableId },
    });
    await rejects(
      () => clients.setup.deleteHotVocabTable(tableId),
      (err) => assert.match(err.message, /used by template/),
    );
    await clients.setup.deleteTemplate(template.templateId);
    await clients.setup.deleteHotVocabTable(tableId);
    await rejects(
      () => clients.ci.submit(withTable),
      (err) => assert.match(err.message, /HotVocabularyTableId/),
    );
    await rejects(
      () => clients.setup.getHotVocabTable(tableId),
      (err) => assert.equal(err.statusCode, 400),
    );
  });

  it('looks the queue up once per bucket and sends it with every submit and every list (queueId is required)', async () => {
    const discovering = createTencentClients({ ...CREDS, bucket: BUCKET, region: REGION, endpoint: emu.url });
    const lookups = requests(emu, 'GET /asrqueue');
    const first = await discovering.ci.submit(job());
    const second = await discovering.ci.submit(job());
    // The emulator, like DescribeSpeechJobs' page, refuses a list without queueId: these lists carry it.
    const listed = await discovering.ci.list({ size: 100 });
    const all: string[] = [];
    for await (const j of discovering.ci.listAll()) all.push(j.JobId);
    assert.equal(requests(emu, 'GET /asrqueue'), lookups + 1, 'one lookup for the bucket');
    assert.equal(first.QueueId, await clients.setup.defaultQueueId());
    assert.equal(second.QueueId, first.QueueId);
    assert.ok(listed.jobs.some((j) => j.JobId === first.JobId));
    assert.ok(all.includes(second.JobId));
    // A configured queue (CI_QUEUE_ID) is used as is, without a lookup.
    const extra = emu.addQueue(BUCKET);
    const configured = createTencentClients({
      ...CREDS,
      bucket: BUCKET,
      region: REGION,
      endpoint: emu.url,
      queueId: extra,
    });
    const beforeConfigured = requests(emu, 'GET /asrqueue');
    assert.equal((await configured.ci.submit(job())).QueueId, extra);
    assert.equal((await configured.ci.list({ size: 100 })).jobs.length, 1, "only the configured queue's job");
    assert.equal(requests(emu, 'GET /asrqueue'), beforeConfigured);
    const without = createTencentClients({
      ...CREDS,
      bucket: BUCKET,
      region: REGION,
      endpoint: emu.url,
      discoverQueue: false,
    });
    await rejects(
      () => without.ci.list(),
      (err) => assert.match(err.message, /queueId is required/),
    );
  });

  it('refuses wrong credentials and closes the binding', async () => {
    const forged = createTencentClients({
      ...CREDS,
      secretKey: 'wrong',
      bucket: BUCKET,
      region: REGION,
      endpoint: emu.url,
    });
    await rejects(
      () => forged.setup.describeQueues(),
      (err) => {
        // CI's own code on CI hosts (row 20), status 401 by default (a variant).
        assert.deepEqual([err.statusCode, err.code], [401, 'InvalidAuthorization']);
        assert.equal(err.action, 'describeQueues');
        assert.ok(!err.message.includes('wrong'));
      },
    );
    await clients.setup.closeBucket();
    assert.equal(await clients.setup.isBucketBound(), false);
    await rejects(
      () => clients.setup.describeQueues(),
      (err) => assert.equal(err.code, 'MediaBucketUnBinded'),
    );
  });
});
