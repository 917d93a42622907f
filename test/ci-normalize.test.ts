import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import fc from 'fast-check';
import { formatCiTime, parseCiTime } from '../src/ci/ci-time';
import { CiResponseError } from '../src/ci/errors';
import { normalizeJob, parseGetResponse, parseListResponse, parseSubmitResponse } from '../src/ci/normalize';

/** What the SDK hands back for a 2xx XML body: the same parser (`COS.util.xml2json`) and result wrapper. */
function sdkData(xml: string): unknown {
  return { ...(COS.util.xml2json(xml) as object), statusCode: 200, headers: {}, RequestId: 'r-test' };
}

/** The seed document's submit response (Python SDK page), as XML CI sends it (`None` = empty element). */
const SEED_SUBMIT = `<Response><JobsDetail><Code>Success</Code><CreationTime>2022-09-14T22:31:38+0800</CreationTime>
<EndTime>-</EndTime><Input><BucketId>test-12539xxxxx</BucketId><Object>normal.mp4</Object><Region>ap-chongqing</Region></Input>
<JobId>sf1398ed0343911eda6d733209028ff12</JobId><Message/><Operation><JobLevel>0</JobLevel>
<Output><Bucket>test-12539xxxxx</Bucket><Object>result.txt</Object><Region>ap-chongqing</Region></Output>
<TemplateId>t1ada6f282d29742db83244e085exxxxxx</TemplateId><TemplateName>name</TemplateName></Operation>
<QueueId>p7369ebcf8f93414c8250c966xxxxxxxx</QueueId><StartTime>-</StartTime><State>Submitted</State>
<Tag>SpeechRecognition</Tag></JobsDetail></Response>`.replace(/\n/g, '');

function seedGetJob(resultText: string): string {
  return `<JobsDetail><Code>Success</Code><CreationTime>2022-09-14T22:36:51+0800</CreationTime>
<EndTime>2022-09-14T22:37:01+0800</EndTime><Input><BucketId>testpic-1253960454</BucketId><Object>gaobai.mp4</Object>
<Region>ap-chongqing</Region></Input><JobId>sabfb88d6343a11ed8c375fe3d77ef1d7</JobId><Message/><Operation>
<JobLevel>0</JobLevel><Output><Bucket>testpic-1253960454</Bucket><Object>result.txt</Object><Region>ap-chongqing</Region>
</Output><SpeechRecognitionResult><AudioTime>215.637</AudioTime><ObjectName>result.txt</ObjectName>
<Result>${resultText}</Result><ResultDetail/></SpeechRecognitionResult><TemplateId>t1ada6f282d29742db83244e085e920b08</TemplateId>
<TemplateName>name</TemplateName></Operation><QueueId>p7369ebcf8f93414c8250c9663e1dff5a</QueueId>
<StartTime>2022-09-14T22:36:53+0800</StartTime><State>Success</State><Tag>SpeechRecognition</Tag></JobsDetail>`.replace(
    /\n/g,
    '',
  );
}

describe('CI response normalisation', () => {
  it('parses the seed submit response into a typed job (`-` times are undefined, Message empty → undefined)', () => {
    const job = parseSubmitResponse(sdkData(SEED_SUBMIT));
    assert.deepEqual(job, {
      JobId: 'sf1398ed0343911eda6d733209028ff12',
      Tag: 'SpeechRecognition',
      State: 'Submitted',
      Code: 'Success',
      CreationTime: new Date('2022-09-14T14:31:38Z'),
      QueueId: 'p7369ebcf8f93414c8250c966xxxxxxxx',
      Input: { Object: 'normal.mp4', BucketId: 'test-12539xxxxx', Region: 'ap-chongqing' },
      Operation: {
        TemplateId: 't1ada6f282d29742db83244e085exxxxxx',
        TemplateName: 'name',
        Output: { Region: 'ap-chongqing', Bucket: 'test-12539xxxxx', Object: 'result.txt' },
        JobLevel: 0,
      },
    });
    assert.equal('StartTime' in job, false);
    assert.equal('Message' in job, false);
  });

  it('parses the seed get response: numbers, Dates, empty ResultDetail → []', () => {
    const { jobs, nonExistentJobIds } = parseGetResponse(
      sdkData(`<Response>${seedGetJob('[0:0.160,1:0.640] Test test\\n')}</Response>`),
    );
    assert.deepEqual(nonExistentJobIds, []);
    assert.equal(jobs.length, 1);
    const job = jobs[0]!;
    assert.equal(job.State, 'Success');
    assert.deepEqual(job.StartTime, new Date('2022-09-14T14:36:53Z'));
    assert.deepEqual(job.EndTime, new Date('2022-09-14T14:37:01Z'));
    assert.deepEqual(job.Operation.SpeechRecognitionResult, {
      AudioTime: 215.637,
      Result: '[0:0.160,1:0.640] Test test\\n',
      ObjectName: 'result.txt',
      ResultDetail: [],
    });
  });

  it('parses the seed list response with its NextToken; several jobs → array', () => {
    const xml = `<Response>${seedGetJob('a')}${seedGetJob('b')}<NextToken>15966</NextToken></Response>`;
    const page = parseListResponse(sdkData(xml));
    assert.equal(page.jobs.length, 2);
    assert.equal(page.nextToken, '15966');
    assert.deepEqual(
      page.jobs.map((j) => j.Operation.SpeechRecognitionResult?.Result),
      ['a', 'b'],
    );
  });

  it('a list without jobs and with an empty NextToken gives [] and no token', () => {
    assert.deepEqual(parseListResponse(sdkData('<Response><NextToken/></Response>')), { jobs: [] });
  });

  it('NonExistJobIds: repeated, single and comma-joined forms', () => {
    const one = parseGetResponse(sdkData('<Response><NonExistJobIds>sA</NonExistJobIds></Response>'));
    assert.deepEqual(one, { jobs: [], nonExistentJobIds: ['sA'] });
    const many = parseGetResponse(
      sdkData('<Response><NonExistJobIds>sA</NonExistJobIds><NonExistJobIds>sB,sC</NonExistJobIds></Response>'),
    );
    assert.deepEqual(many.nonExistentJobIds, ['sA', 'sB', 'sC']);
  });

  it('single ResultDetail and single Words come back as arrays, word fields as numbers', () => {
    const xml = `<Response><JobsDetail><JobId>s1</JobId><State>Success</State><Code>Success</Code>
<CreationTime>2024-01-02T03:04:05+0800</CreationTime><Operation><SpeechRecognition><EngineModelType>16k_zh</EngineModelType>
<ChannelNum>1</ChannelNum><FlashAsr>false</FlashAsr><OutputFileType>txt</OutputFileType></SpeechRecognition>
<SpeechRecognitionResult><AudioTime>1.5</AudioTime><Result>[0:0.000,0:1.500] hi</Result><ResultDetail>
<FinalSentence>hi</FinalSentence><SliceSentence>hi</SliceSentence><StartMs>0</StartMs><EndMs>1500</EndMs>
<SpeakerId>0</SpeakerId><SpeechSpeed>0.7</SpeechSpeed><WordsNum>1</WordsNum>
<Words><Word>hi</Word><OffsetStartMs>100</OffsetStartMs><OffsetEndMs>900</OffsetEndMs><VoiceType/></Words>
</ResultDetail></SpeechRecognitionResult></Operation></JobsDetail></Response>`.replace(/\n/g, '');
    const job = parseSubmitResponse(sdkData(xml));
    assert.deepEqual(job.Operation.SpeechRecognition, {
      EngineModelType: '16k_zh',
      ChannelNum: 1,
      FlashAsr: false,
      OutputFileType: 'txt',
    });
    assert.deepEqual(job.Operation.SpeechRecognitionResult?.ResultDetail, [
      {
        FinalSentence: 'hi',
        SliceSentence: 'hi',
        StartMs: 0,
        EndMs: 1500,
        SpeakerId: 0,
        SpeechSpeed: 0.7,
        WordsNum: 1,
        Words: [{ Word: 'hi', OffsetStartMs: 100, OffsetEndMs: 900 }],
      },
    ]);
  });

  it('entities in text are decoded by the SDK parser and kept verbatim', () => {
    const xml = `<Response><JobsDetail><JobId>s1</JobId><State>Failed</State><Code>InputNotExist</Code>
<Message>a &lt;b&gt; &amp; c</Message><CreationTime>2024-01-02T03:04:05+08:00</CreationTime>
<Operation><UserData>x&amp;y</UserData></Operation></JobsDetail></Response>`.replace(/\n/g, '');
    const job = parseSubmitResponse(sdkData(xml));
    assert.equal(job.Message, 'a <b> & c');
    assert.equal(job.Code, 'InputNotExist');
    assert.equal(job.Operation.UserData, 'x&y');
  });

  it('rejects responses without the documented shape with a CiResponseError', () => {
    assert.throws(() => parseSubmitResponse({ statusCode: 200 }), CiResponseError);
    assert.throws(() => parseSubmitResponse(sdkData('<Response/>')), CiResponseError);
    assert.throws(() => normalizeJob({ JobId: 's1', State: 'Exploded', CreationTime: '2024-01-02T03:04:05+0800' }), {
      name: 'CiResponseError',
      message: /State of s1 is unknown/,
    });
    assert.throws(() => normalizeJob({ JobId: 's1', State: 'Success', CreationTime: '-' }), /CreationTime/);
    assert.throws(() => normalizeJob({ State: 'Success' }), /JobId/);
    assert.throws(
      () =>
        normalizeJob({
          JobId: 's1',
          State: 'Success',
          CreationTime: '2024-01-02T03:04:05+0800',
          Operation: { SpeechRecognitionResult: { AudioTime: 'lots' } },
        }),
      /AudioTime is not a number/,
    );
  });

  it('a failed job without Code reads as UnknownError; other states as Success', () => {
    const base = { JobId: 's1', CreationTime: '2024-01-02T03:04:05+0800' };
    assert.equal(normalizeJob({ ...base, State: 'Failed' }).Code, 'UnknownError');
    assert.equal(normalizeJob({ ...base, State: 'Running' }).Code, 'Success');
  });
});

describe('normalizeJob on JSON callback bodies and odd input', () => {
  it('accepts JSON leaves (numbers, booleans, arrays) as a JSON callback may carry them', () => {
    const job = normalizeJob({
      JobId: 's1',
      State: 'Success',
      Code: 'Success',
      CreationTime: '2024-01-02T03:04:05+0800',
      Operation: {
        JobLevel: 1,
        SpeechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1, FlashAsr: false },
        SpeechRecognitionResult: {
          AudioTime: 2.5,
          Result: '[0:0.000,0:2.500] hi',
          ResultDetail: [{ FinalSentence: 'hi', StartMs: 0, EndMs: 2500, Words: [] }],
        },
      },
    });
    assert.equal(job.Operation.JobLevel, 1);
    assert.equal(job.Operation.SpeechRecognition?.FlashAsr, false);
    assert.equal(job.Operation.SpeechRecognitionResult?.AudioTime, 2.5);
    assert.equal(job.Operation.SpeechRecognitionResult?.ResultDetail[0]?.EndMs, 2500);
  });

  it('never throws anything but a CiResponseError (property-based)', () => {
    const leaf = fc.oneof(fc.string(), fc.constantFrom('', '-', 'Success', '2024-01-02T03:04:05+0800', '1', 'x'));
    const shaped = fc.record(
      {
        JobId: leaf,
        State: fc.constantFrom('Success', 'Failed', 'Nope', ''),
        CreationTime: leaf,
        StartTime: leaf,
        Operation: fc.anything(),
        Input: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.anything(), shaped), (raw) => {
        try {
          normalizeJob(raw);
        } catch (err) {
          assert.ok(err instanceof CiResponseError, `unexpected ${String(err)}`);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('CI time format', () => {
  it('formats in UTC+8 as %Y-%m-%dT%H:%M:%S%z', () => {
    assert.equal(formatCiTime(new Date('2022-09-02T02:25:38.999Z')), '2022-09-02T10:25:38+0800');
    assert.equal(formatCiTime(new Date('2022-12-31T20:00:00Z')), '2023-01-01T04:00:00+0800');
  });

  it('parses +0800, +08:00, Z and fractions; `-` and empty are undefined', () => {
    assert.deepEqual(parseCiTime('2022-09-02T10:25:38+0800', 'f'), new Date('2022-09-02T02:25:38Z'));
    assert.deepEqual(parseCiTime('2022-09-02T10:25:38+08:00', 'f'), new Date('2022-09-02T02:25:38Z'));
    assert.deepEqual(parseCiTime('2022-09-02T02:25:38.5Z', 'f'), new Date('2022-09-02T02:25:38.500Z'));
    assert.equal(parseCiTime('-', 'f'), undefined);
    assert.equal(parseCiTime('', 'f'), undefined);
    assert.throws(() => parseCiTime('yesterday', 'EndTime'), { name: 'CiResponseError', message: /EndTime/ });
  });

  it('round-trips through format and parse to the second', () => {
    const d = new Date('2031-05-06T07:08:09Z');
    assert.deepEqual(parseCiTime(formatCiTime(d), 'f'), d);
  });
});
