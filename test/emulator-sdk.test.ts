import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import type { RunningEmulator } from '../src/emulator/index';
import { silentWav } from '../src/emulator/index';
import {
  at,
  bareClient,
  BUCKET,
  ciBase,
  CREDS,
  getJobs,
  list,
  proxyClient,
  rawRequest,
  REGION,
  sdkRequest,
  sdkSignature,
  startTestEmulator,
  submit,
  submitXml,
  text,
  waitForState,
} from './fixtures/emulator-helpers';

const OTHER_BUCKET = 'asr-1250000001';

describe('emulator through the real cos-nodejs-sdk-v5', () => {
  let emulator: RunningEmulator;
  let viaProxy: COS;
  let bare: COS;
  before(async () => {
    emulator = await startTestEmulator();
    viaProxy = proxyClient(emulator);
    bare = bareClient(emulator);
    emulator.putObject(BUCKET, 'in/a.wav', silentWav(3.5));
    emulator.putObject(OTHER_BUCKET, 'talk.wav', silentWav(12.25, 8000));
    emulator.putObject(OTHER_BUCKET, 'talk.wav.transcript.txt', 'Hello there, world.\n第二句话。\n');
  });
  after(async () => {
    await emulator?.close();
  });

  it('submits through the SDK proxy setting, runs the job and writes the result objects', async () => {
    const base = ciBase(OTHER_BUCKET, 'ap-shanghai');
    const body = submitXml({
      object: 'talk.wav',
      speech: { EngineModelType: '8k_zh', ChannelNum: 1, ResTextFormat: 2 },
      output: { Bucket: OTHER_BUCKET, Region: 'ap-shanghai', Object: 'out/talk.txt' },
      operation: { UserData: 'proxy-run', JobLevel: 1 },
    });
    const submitted = await submit(viaProxy, body, base);
    assert.equal(submitted.statusCode, 200);
    assert.equal(submitted.headers.server, 'tencent-ci');
    assert.ok(submitted.headers['x-ci-request-id']);
    const created = at(submitted.Response, 'JobsDetail');
    assert.equal(text(created, 'State'), 'Submitted');
    assert.equal(text(created, 'Code'), 'Success');
    assert.equal(text(created, 'StartTime'), '-');
    assert.match(text(created, 'JobId') ?? '', /^s[0-9a-f]{32}$/);
    assert.match(text(created, 'CreationTime') ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0800$/);
    assert.deepEqual(at(created, 'Input'), { BucketId: OTHER_BUCKET, Region: 'ap-shanghai', Object: 'talk.wav' });
    assert.equal(text(created, 'Operation.SpeechRecognition.ConvertNumMode'), '1');

    const done = await waitForState(viaProxy, text(created, 'JobId')!, ['Success', 'Failed'], base);
    assert.equal(text(done, 'State'), 'Success');
    assert.notEqual(text(done, 'EndTime'), '-');
    const result = at(done, 'Operation.SpeechRecognitionResult');
    assert.equal(text(result, 'AudioTime'), '12.250');
    assert.equal(text(result, 'Result'), '[0:0.000,0:9.698] Hello there, world.\n[0:9.698,0:12.250] 第二句话。');
    assert.equal(text(result, 'ObjectName'), 'out/talk.txt');
    assert.equal(text(result, 'DetailObjectName'), 'out/talk.txt.detail');
    const sentences = list(result, 'ResultDetail');
    assert.equal(sentences.length, 2);
    assert.equal(text(sentences[0], 'SliceSentence'), 'Hello there, world.');
    assert.equal(text(sentences[1], 'WordsNum'), '5');
    assert.equal(text(list(sentences[1], 'Words')[0], 'Word'), '第');

    const object = await viaProxy.getObject({ Bucket: OTHER_BUCKET, Region: 'ap-shanghai', Key: 'out/talk.txt' });
    assert.equal(object.Body.toString(), `${text(result, 'Result')}\n`);
    const detail = await viaProxy.getObject({
      Bucket: OTHER_BUCKET,
      Region: 'ap-shanghai',
      Key: 'out/talk.txt.detail',
    });
    const parsed = JSON.parse(detail.Body.toString()) as { AudioTime: string; ResultDetail: Array<{ EndMs: number }> };
    assert.equal(parsed.AudioTime, '12.250');
    assert.equal(parsed.ResultDetail[1]?.EndMs, 12_250);
  });

  it('serves the bare host for CI and COS with the default bucket', async () => {
    const submitted = await submit(
      bare,
      submitXml({ speech: { EngineModelType: '16k_en', ChannelNum: 1, OutputFileType: 'srt' } }),
      emulator.url,
    );
    const jobId = text(submitted.Response, 'JobsDetail.JobId')!;
    const done = await waitForState(bare, jobId, ['Success', 'Failed'], emulator.url);
    assert.equal(text(done, 'Input.BucketId'), BUCKET);
    assert.equal(text(done, 'Input.Region'), REGION);
    assert.equal(text(done, 'Operation.SpeechRecognitionResult.AudioTime'), '3.500');
    assert.equal(text(done, 'Operation.SpeechRecognitionResult.ResultDetail'), '');
    const srt = await bare.getObject({ Bucket: BUCKET, Region: REGION, Key: 'out/a.txt' });
    assert.equal(
      srt.Body.toString(),
      `1\n00:00:00,000 --> 00:00:03,500\n[emulated transcript] sentence 1 of 1 for ${BUCKET}/in/a.wav\n`,
    );
  });

  it('accepts POST /jobs and GET /jobs/<id>', async () => {
    const submitted = await submit(viaProxy, submitXml({}), ciBase(), 'jobs');
    const jobId = text(submitted.Response, 'JobsDetail.JobId')!;
    const got = await sdkRequest(viaProxy, { Method: 'GET', Key: `jobs/${jobId}`, Url: `${ciBase()}/jobs/${jobId}` });
    assert.equal(text(got.Response, 'JobsDetail.JobId'), jobId);
  });

  it('gets several jobs at once and names the ids that do not exist', async () => {
    const ids = [];
    for (let i = 0; i < 2; i++) ids.push(text((await submit(viaProxy, submitXml({}))).Response, 'JobsDetail.JobId')!);
    const got = await getJobs(viaProxy, [ids[0]!, 'sdeadbeef', ids[1]!, 'snope']);
    assert.deepEqual(
      list(got.Response, 'JobsDetail').map((d) => text(d, 'JobId')),
      ids,
    );
    assert.deepEqual(got.Response && at(got.Response, 'NonExistJobIds'), ['sdeadbeef', 'snope']);
    const none = await getJobs(viaProxy, ['sabsent']);
    assert.deepEqual(none.Response, { NonExistJobIds: 'sabsent' });
  });

  it('fails a job whose input object does not exist', async () => {
    const submitted = await submit(viaProxy, submitXml({ object: 'missing/none.mp3' }));
    const done = await waitForState(viaProxy, text(submitted.Response, 'JobsDetail.JobId')!, ['Success', 'Failed']);
    assert.equal(text(done, 'State'), 'Failed');
    assert.equal(text(done, 'Code'), 'ResourceNotFound');
    assert.match(text(done, 'Message') ?? '', /missing\/none\.mp3 does not exist/);
    assert.equal(at(done, 'Operation.SpeechRecognitionResult'), undefined);
  });

  it('reads Input/Url that points at an emulated object', async () => {
    const url = `http://${OTHER_BUCKET}.cos.ap-shanghai.myqcloud.com/talk.wav`;
    const body = submitXml({ extra: { Input: { Url: url } } });
    const submitted = await submit(viaProxy, body);
    const done = await waitForState(viaProxy, text(submitted.Response, 'JobsDetail.JobId')!, ['Success', 'Failed']);
    assert.equal(text(done, 'Input.Url'), url);
    assert.equal(text(done, 'Operation.SpeechRecognitionResult.AudioTime'), '12.250');
    assert.equal(emulator.counters().jobsByInputObject[url], 1);
  });

  it('does PUT/GET/HEAD/DELETE object and bucket listing with prefix and paging', async () => {
    const put = await bare.putObject({
      Bucket: BUCKET,
      Region: REGION,
      Key: 'list/b c.txt',
      Body: 'hello',
      ContentType: 'text/plain',
    });
    assert.equal(put.ETag, '"5d41402abc4b2a76b9719d911017c592"');
    for (const key of ['list/a.txt', 'list/d.txt', 'other.txt'])
      await viaProxy.putObject({ Bucket: BUCKET, Region: REGION, Key: key, Body: key });
    const head = await viaProxy.headObject({ Bucket: BUCKET, Region: REGION, Key: 'list/b c.txt' });
    assert.equal(head.headers?.['content-type'], 'text/plain');
    assert.equal(head.headers?.['content-length'], '5');
    assert.equal(head.ETag, put.ETag);
    const got = await bare.getObject({ Bucket: BUCKET, Region: REGION, Key: 'list/b c.txt' });
    assert.equal(got.Body.toString(), 'hello');
    const page1 = await bare.getBucket({ Bucket: BUCKET, Region: REGION, Prefix: 'list/', MaxKeys: 2 });
    assert.deepEqual(
      page1.Contents.map((c) => c.Key),
      ['list/a.txt', 'list/b c.txt'],
    );
    assert.equal(page1.IsTruncated, 'true');
    assert.equal(page1.NextMarker, 'list/b c.txt');
    assert.equal(page1.Contents[0]?.Size, '10');
    const page2 = await viaProxy.getBucket({
      Bucket: BUCKET,
      Region: REGION,
      Prefix: 'list/',
      Marker: page1.NextMarker,
    });
    assert.deepEqual(
      page2.Contents.map((c) => c.Key),
      ['list/d.txt'],
    );
    assert.equal(page2.IsTruncated, 'false');
    await viaProxy.deleteObject({ Bucket: BUCKET, Region: REGION, Key: 'list/d.txt' });
    const missing = await viaProxy
      .getObject({ Bucket: BUCKET, Region: REGION, Key: 'list/d.txt' })
      .catch((e: unknown) => e);
    assert.equal(at(missing, 'statusCode'), 404);
    assert.equal(at(missing, 'code'), 'NoSuchKey');
    const headMissing = await viaProxy
      .headObject({ Bucket: BUCKET, Region: REGION, Key: 'list/d.txt' })
      .catch((e: unknown) => e);
    assert.equal(at(headMissing, 'statusCode'), 404);
  });

  it('stores and signs object keys with spaces, unicode and URL metacharacters', async () => {
    const key = 'odd/ä b+c%20?#&=(1)*.txt';
    await bare.putObject({ Bucket: BUCKET, Region: REGION, Key: key, Body: 'odd' });
    const got = await viaProxy.getObject({ Bucket: BUCKET, Region: REGION, Key: key });
    assert.equal(got.Body.toString(), 'odd');
    const listed = await bare.getBucket({ Bucket: BUCKET, Region: REGION, Prefix: 'odd/' });
    assert.deepEqual(
      listed.Contents.map((c) => c.Key),
      [key],
    );
  });

  it('accepts raw XML with or without declaration and in any element order', async () => {
    const host = emulator.url.replace('http://', '');
    const reordered =
      '<Request>\n  <Operation>\n    <Output><Object>raw.txt</Object><Region>ap-guangzhou</Region><Bucket>demo-1250000000</Bucket></Output>\n' +
      '    <UserData>raw &amp; ordered</UserData>\n    <SpeechRecognition><ChannelNum>1</ChannelNum><EngineModelType>16k_zh</EngineModelType></SpeechRecognition>\n' +
      '  </Operation>\n  <Input><Object>in/a.wav</Object></Input>\n  <Tag>SpeechRecognition</Tag>\n</Request>';
    for (const body of [reordered, `<?xml version="1.0" encoding="utf-8"?>\n${reordered}`]) {
      const headers = { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)) };
      const authorization = sdkSignature({ method: 'POST', key: 'asr_jobs', host, headers });
      const answer = await rawRequest(emulator.url, {
        method: 'POST',
        path: '/asr_jobs',
        headers: { ...headers, authorization },
        body,
      });
      assert.equal(answer.status, 200, answer.body);
      assert.equal(answer.headers['content-type'], 'application/xml');
      assert.match(answer.body, /<UserData>raw &amp; ordered<\/UserData>/);
    }
    assert.equal(emulator.counters().jobsByUserData['raw & ordered'], 2);
  });

  it('uses a seeded template', async () => {
    const templated = await startTestEmulator({
      templates: { t1tpl: { name: 'phone', speechRecognition: { EngineModelType: '8k_zh', ChannelNum: '2' } } },
    });
    try {
      const answer = await submit(
        proxyClient(templated),
        submitXml({ speech: { EngineModelType: 'ignored' }, operation: { TemplateId: 't1tpl' } }),
      );
      assert.equal(text(answer.Response, 'JobsDetail.Operation.TemplateId'), 't1tpl');
      assert.equal(text(answer.Response, 'JobsDetail.Operation.SpeechRecognition.ChannelNum'), '2');
    } finally {
      await templated.close();
    }
  });

  it("rejects bad credentials and signatures with CI's codes on CI routes (row 20), COS's on object routes", async () => {
    const wrongKey = proxyClient(emulator, { ...CREDS, secretKey: 'not-the-key' });
    const wrongId = proxyClient(emulator, { ...CREDS, secretId: 'AKIDother' });
    const errors = await Promise.all([
      getJobs(wrongKey, ['s1']).catch((e: unknown) => e),
      getJobs(wrongId, ['s1']).catch((e: unknown) => e),
      bare
        .putObject({ Bucket: BUCKET, Region: REGION, Key: 'x', Body: 'x', Headers: { 'x-cos-meta-a': 'signed' } })
        .then(() => 'ok'),
    ]);
    assert.deepEqual(
      errors.slice(0, 2).map((e) => [at(e, 'statusCode'), at(e, 'code')]),
      [
        [401, 'InvalidAuthorization'],
        [401, 'SecretidNotExist'],
      ],
    );
    assert.equal(errors[2], 'ok');
    const host = emulator.url.replace('http://', '');
    const missing = await rawRequest(emulator.url, { method: 'GET', path: '/asr_jobs/s1' });
    assert.equal(missing.status, 401);
    assert.match(missing.body, /<Code>MissingAuthorization<\/Code>/);
    assert.match(missing.body, /<RequestId>/);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const expired = sdkSignature({ method: 'GET', key: 'asr_jobs/s1', host, keyTime: `${past};${past + 60}` });
    const old = await rawRequest(emulator.url, {
      method: 'GET',
      path: '/asr_jobs/s1',
      headers: { authorization: expired },
    });
    assert.equal(old.status, 401);
    assert.match(old.body, /<Code>SignatureExpired<\/Code>/);
    const good = sdkSignature({ method: 'GET', key: 'asr_jobs/s1', host });
    const tampered = await rawRequest(emulator.url, {
      method: 'GET',
      path: '/asr_jobs/s2',
      headers: { authorization: good },
    });
    assert.match(tampered.body, /InvalidAuthorization/);
    // The same refusals on an object route keep COS's codes.
    const cosMissing = await rawRequest(emulator.url, { method: 'GET', path: '/in/x.wav' });
    assert.deepEqual([cosMissing.status, /<Code>AccessDenied<\/Code>/.test(cosMissing.body)], [403, true]);
    const ok = await rawRequest(emulator.url, {
      method: 'GET',
      path: '/asr_jobs/s1',
      headers: { authorization: good },
    });
    assert.equal(ok.status, 200);
  });
});
