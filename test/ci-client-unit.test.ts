import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import type COS from 'cos-nodejs-sdk-v5';
import { CiAsrClient } from '../src/ci/asr-client';
import { createTencentClients } from '../src/tencent/clients';

interface Call {
  params: COS.RequestParams;
  body?: string;
}

/** A stand-in for the SDK that records `request` calls and answers with canned parsed bodies. */
function fakeCos(answers: unknown[]): { cos: COS; calls: Call[] } {
  const calls: Call[] = [];
  const request = async (params: COS.RequestParams): Promise<unknown> => {
    const call: Call = { params };
    if (params.Body instanceof Readable) {
      const chunks: Buffer[] = [];
      for await (const chunk of params.Body) chunks.push(Buffer.from(chunk as Buffer));
      call.body = Buffer.concat(chunks).toString('utf8');
    }
    calls.push(call);
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { cos: { request } as unknown as COS, calls };
}

const JOB = { JobId: 's1', State: 'Submitted', Code: 'Success', CreationTime: '2024-01-02T03:04:05+0800' };
const base = {
  bucket: 'demo-1250000000',
  region: 'ap-guangzhou',
  baseUrl: 'https://demo-1250000000.ci.ap-guangzhou.myqcloud.com/',
};

describe('CiAsrClient request shapes', () => {
  it('submit: POST /asr_jobs with the XML as a stream (so the SDK cannot re-send it) and its length', async () => {
    const { cos, calls } = fakeCos([{ Response: { JobsDetail: JOB } }]);
    const client = new CiAsrClient({ cos, ...base });
    const job = await client.submit({
      Input: { Object: 'a.wav' },
      Operation: { TemplateId: 't1', Output: { Region: 'ap-guangzhou', Bucket: 'demo-1250000000', Object: 'o.txt' } },
    });
    assert.equal(job.JobId, 's1');
    const call = calls[0]!;
    assert.equal(call.params.Method, 'POST');
    assert.equal(call.params.Url, 'https://demo-1250000000.ci.ap-guangzhou.myqcloud.com/asr_jobs');
    assert.equal(call.params.Key, 'asr_jobs');
    assert.ok(call.params.Body instanceof Readable);
    assert.match(call.body ?? '', /^<Request><Tag>SpeechRecognition<\/Tag><Input><Object>a\.wav<\/Object>/);
    assert.deepEqual(call.params.Headers, {
      'Content-Type': 'application/xml',
      'Content-Length': String(Buffer.byteLength(call.body ?? '')),
    });
  });

  it('get: one GET with comma-joined ids; list: Query with CI names; cancel: PUT with Action cancel', async () => {
    const { cos, calls } = fakeCos([
      { Response: { JobsDetail: [JOB, { ...JOB, JobId: 's2' }] } },
      { Response: { JobsDetail: JOB, NextToken: '7' } },
      { statusCode: 200 },
    ]);
    const client = new CiAsrClient({ cos, ...base });
    const got = await client.get(['s1', 's2']);
    assert.deepEqual(
      got.jobs.map((j) => j.JobId),
      ['s1', 's2'],
    );
    assert.deepEqual(await client.list({ states: ['Failed'], size: 5 }).then((p) => p.nextToken), '7');
    assert.deepEqual(await client.cancel('s1'), { outcome: 'cancelled', jobId: 's1' });
    assert.deepEqual(
      calls.map((c) => [c.params.Method, c.params.Url, c.params.Key, c.params.Query, c.params.Action]),
      [
        ['GET', `${base.baseUrl}asr_jobs/s1,s2`, 'asr_jobs/s1,s2', undefined, undefined],
        [
          'GET',
          `${base.baseUrl}asr_jobs`,
          'asr_jobs',
          { tag: 'SpeechRecognition', states: 'Failed', size: '5' },
          undefined,
        ],
        ['PUT', `${base.baseUrl}jobs/s1`, 'jobs/s1', undefined, 'cancel'],
      ],
    );
  });

  it('a 2xx without JobsDetail becomes a MalformedResponse CiError with an unknown outcome', async () => {
    const { cos } = fakeCos([{ Response: {} }]);
    const client = new CiAsrClient({ cos, ...base });
    await assert.rejects(
      client.submit({
        Input: { Url: 'https://example.com/a.wav' },
        Operation: { TemplateId: 't1', Output: { Region: 'ap-guangzhou', Bucket: 'demo-1250000000', Object: 'o' } },
      }),
      { name: 'CiError', code: 'MalformedResponse', retryable: false, outcomeUnknown: true },
    );
  });
});

describe('createTencentClients endpoints', () => {
  const config = { secretId: 'id', secretKey: 'key', region: 'ap-guangzhou', bucket: 'demo-1250000000' };

  it('uses the real https CI domain without an endpoint', () => {
    assert.equal(createTencentClients(config).ci.baseUrl, 'https://demo-1250000000.ci.ap-guangzhou.myqcloud.com');
  });

  it('keeps the real host names (over http, through the endpoint as a proxy) with an endpoint', () => {
    const clients = createTencentClients({ ...config, endpoint: 'http://127.0.0.1:9100' });
    assert.equal(clients.ci.baseUrl, 'http://demo-1250000000.ci.ap-guangzhou.myqcloud.com');
  });
});
