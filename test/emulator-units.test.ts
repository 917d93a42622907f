import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import COS from 'cos-nodejs-sdk-v5';
import fc from 'fast-check';
import { formatCiTime, parseCiTime } from '../src/emulator/ci-time';
import { cosEncode, parseCosAuthorization, verifyCosRequest } from '../src/emulator/cos-signature';
import type { SignableRequest, SignatureRejection } from '../src/emulator/cos-signature';
import { ciAuthRejection } from '../src/emulator/ci-auth';
import { loadEmulatorConfig } from '../src/emulator/config';
import { looksLikeMedia } from '../src/emulator/media-sniff';
import type { EmulatorVariants } from '../src/emulator/variants';
import { DEFAULT_VARIANTS, parseVariants, VARIANT_SETS, VARIANT_VALUES, VariantError } from '../src/emulator/variants';
import { ApiError } from '../src/emulator/errors';
import {
  fires,
  forcedFailureFor,
  InvalidFaultConfigError,
  mergeFaults,
  noFaults,
  routeFaults,
} from '../src/emulator/faults';
import {
  applyQueuePause,
  cancelJob,
  failJob,
  InvalidTransitionError,
  jobsToStart,
  msUntilNextEligible,
  startJob,
  succeedJob,
} from '../src/emulator/job-lifecycle';
import type { EmulatedJob, JobResult } from '../src/emulator/job-model';
import { listJobs, parseListQuery } from '../src/emulator/list-query';
import { ciRouteName, parseQuery, resolveTarget } from '../src/emulator/routing';
import { parseSubmitRequest } from '../src/emulator/submit-request';
import { formatResultTime, resultText, srtText, timeSentences, transcriptLines } from '../src/emulator/transcript';
import { audioSeconds, parseWavHeader, silentWav } from '../src/emulator/wav';
import { submitXml } from './fixtures/emulator-helpers';

const creds = { secretId: 'AKIDunit', secretKey: 'unit-secret' };

function signed(method: string, key: string, headers: Record<string, string>, query: Record<string, string> = {}) {
  const authorization = COS.getAuthorization({
    SecretId: creds.secretId,
    SecretKey: creds.secretKey,
    Method: method as COS.Method,
    Key: key,
    Headers: headers,
    Query: query,
  });
  return {
    method: method.toUpperCase(),
    pathname: `/${key}`,
    query: Object.entries(query),
    headers: { ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), authorization },
  };
}

/** Verifies against one permanent key pair, as the emulator's key lookup does. */
function check(request: SignableRequest, keys = creds, nowMs = Date.now(), skewSeconds?: number) {
  const keyFor = (id: string) => (id === keys.secretId ? { secretKey: keys.secretKey } : undefined);
  return verifyCosRequest(request, { keyFor, nowMs, skewSeconds });
}

describe('cos-signature', () => {
  it('verifies a signature computed by the real SDK (headers, query, unencoded path)', () => {
    const request = signed('GET', 'asr_jobs', { host: 'b-1.ci.ap-x.myqcloud.com' }, { size: '10', tag: 'Speech Rec' });
    assert.equal(check(request, creds, Date.now()), undefined);
    const odd = signed('PUT', 'dir/a b(1)*.txt', { host: '127.0.0.1:9', 'Content-Type': 'text/plain' });
    assert.equal(check(odd, creds, Date.now()), undefined);
  });

  it('rejects tampered method, path, header, parameter and signature', () => {
    const base = signed('POST', 'asr_jobs', { host: 'h', 'content-length': '5' }, { a: '1' });
    const cases = [
      { ...base, method: 'PUT' },
      { ...base, pathname: '/jobs' },
      { ...base, headers: { ...base.headers, 'content-length': '6' } },
      { ...base, query: [['a', '2']] as [string, string][] },
      { ...base, headers: { ...base.headers, authorization: base.headers.authorization.replace(/.$/, 'x') } },
    ];
    for (const request of cases) assert.equal(check(request, creds, Date.now())?.code, 'SignatureDoesNotMatch');
  });

  it('answers AccessDenied, InvalidAccessKeyId and expiry like COS', () => {
    const request = signed('GET', 'x', { host: 'h' });
    assert.equal(check({ ...request, headers: { host: 'h' } }, creds, Date.now())?.code, 'AccessDenied');
    assert.equal(check(request, { ...creds, secretId: 'other' }, Date.now())?.code, 'InvalidAccessKeyId');
    assert.deepEqual(check(request, creds, Date.now() + 3600_000), {
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
      reason: 'expired',
    });
    assert.equal(check(request, creds, Date.now() - 3600_000)?.code, 'RequestTimeTooSkewed');
    assert.equal(check(request, { ...creds, secretKey: 'wrong' }, Date.now())?.code, 'SignatureDoesNotMatch');
  });

  it('verifies SDK signatures over arbitrary keys, parameters and header values (property)', () => {
    // Names stay unreserved: for others the SDK orders HttpParameters by raw name but q-url-param-list by encoded
    // name, so its own signatures would not verify (at COS either).
    const names = fc.uniqueArray(fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/), {
      maxLength: 4,
      selector: (name) => cosEncode(name).toLowerCase(),
    });
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, unit: 'grapheme' }).filter((k) => !k.startsWith('/')),
        names.chain((keys) =>
          fc.tuple(
            fc.constant(keys),
            fc.array(fc.string({ unit: 'grapheme' }), { minLength: keys.length, maxLength: keys.length }),
          ),
        ),
        fc.string({ unit: 'grapheme' }),
        (key, [paramNames, values], meta) => {
          const query = Object.fromEntries(paramNames.map((name, i) => [name, values[i] ?? '']));
          const request = signed('GET', key, { host: 'b-1.cos.ap-x.myqcloud.com', 'x-cos-meta-note': meta }, query);
          assert.equal(check(request, creds, Date.now()), undefined);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('parses Authorization fields and encodes like the SDKs', () => {
    const auth = parseCosAuthorization(
      'q-sign-algorithm=sha1&q-ak=A&q-sign-time=1;2&q-key-time=1;2&q-header-list=host;x&q-url-param-list=&q-signature=ab',
    );
    assert.deepEqual(auth?.headerList, ['host', 'x']);
    assert.deepEqual(auth?.urlParamList, []);
    assert.equal(parseCosAuthorization('q-ak=A'), undefined);
    assert.equal(cosEncode("a b!'()*~"), 'a%20b%21%27%28%29%2A~');
  });
});

describe('ci-time', () => {
  it('formats in +0800 and parses any offset', () => {
    const ms = Date.UTC(2022, 8, 2, 2, 25, 38);
    assert.equal(formatCiTime(ms), '2022-09-02T10:25:38+0800');
    assert.equal(parseCiTime('2022-09-02T10:25:38+0800'), ms);
    assert.equal(parseCiTime('2022-09-02T02:25:38+00:00'), ms);
    assert.equal(parseCiTime('2022-02-30T10:25:38+0800'), undefined);
    assert.equal(parseCiTime('yesterday'), undefined);
  });
});

function job(seq: number, overrides: Partial<EmulatedJob> = {}): EmulatedJob {
  return {
    seq,
    jobId: `s${seq}`,
    tag: 'SpeechRecognition',
    state: 'Submitted',
    code: 'Success',
    message: '',
    bucket: 'b-1',
    region: 'ap-x',
    queueId: 'q1',
    creationMs: 1_000_000 + seq * 1000,
    spec: {
      input: { object: 'a.wav' },
      speechRecognition: {},
      output: { region: 'ap-x', bucket: 'b-1', object: 'o.txt' },
      jobLevel: 0,
      callback: { format: 'XML', type: 'Url' },
    },
    ...overrides,
  };
}

describe('job-lifecycle', () => {
  const result: JobResult = {
    audioTime: '1.000',
    resultText: '',
    sentences: [],
    objectName: 'o',
    detailObjectName: 'o.detail',
  };

  it('walks Submitted → Running → Success | Failed and refuses other transitions', () => {
    const running = startJob(job(1), 5);
    assert.equal(running.state, 'Running');
    assert.equal(running.startMs, 5);
    assert.equal(succeedJob(running, result, 9).state, 'Success');
    const failed = failJob(running, 'ResourceNotFound', 'gone', 9);
    assert.deepEqual(
      [failed.state, failed.code, failed.message, failed.endMs],
      ['Failed', 'ResourceNotFound', 'gone', 9],
    );
    assert.throws(() => succeedJob(job(1), result, 1), InvalidTransitionError);
    assert.throws(() => startJob(failed, 1), InvalidTransitionError);
  });

  it('cancels only jobs that have not started', () => {
    const cancelled = cancelJob(job(1), 7);
    assert.ok(cancelled.ok && cancelled.job.state === 'Cancel' && cancelled.job.endMs === 7);
    assert.equal(cancelJob(job(1, { state: 'Pause' }), 7).ok, true);
    for (const state of ['Running', 'Success', 'Failed', 'Cancel'] as const) {
      const outcome = cancelJob(job(1, { state }), 7);
      assert.ok(!outcome.ok && outcome.reason.includes(state));
    }
  });

  it('moves waiting jobs to Pause and back with their queue', () => {
    assert.equal(applyQueuePause(job(1), true).state, 'Pause');
    assert.equal(applyQueuePause(job(1, { state: 'Pause' }), false).state, 'Submitted');
    const running = job(1, { state: 'Running' });
    assert.equal(applyQueuePause(running, true), running);
  });

  it('starts eligible jobs by JobLevel then age, within concurrency', () => {
    const jobs = [
      job(1, { state: 'Running' }),
      job(2),
      job(3, { spec: { ...job(3).spec, jobLevel: 2 } }),
      job(4),
      job(5, { queueId: 'other' }),
      job(6, { creationMs: 2_000_000 }),
    ];
    assert.deepEqual(jobsToStart(jobs, 'q1', 3, 1_100_000, 10), ['s3', 's2']);
    assert.deepEqual(jobsToStart(jobs, 'q1', 1, 1_100_000, 10), []);
    assert.deepEqual(jobsToStart(jobs, 'q1', 10, 1_003_000, 1000), ['s2']);
    assert.equal(msUntilNextEligible(jobs, 'q1', 1_003_000, 1000), 1000);
    assert.equal(msUntilNextEligible(jobs, 'q1', 1_003_000, 10), 10);
    assert.equal(msUntilNextEligible(jobs, 'other', 1_010_000, 10), undefined);
  });
});

describe('list-query', () => {
  const jobs = Array.from({ length: 25 }, (_, i) =>
    job(i + 1, { state: i % 2 ? 'Success' : 'Submitted', queueId: i < 20 ? 'q1' : 'q2' }),
  );
  const query = (params: Record<string, string>) =>
    parseListQuery(new Map(Object.entries({ tag: 'SpeechRecognition', ...params })));

  it('validates parameters', () => {
    const bad: Record<string, string>[] = [
      { tag: 'Other' },
      { states: 'Done' },
      { size: '101' },
      { size: '0' },
      { size: 'x' },
      { orderByTime: 'Up' },
      { startCreationTime: '2022-09-02' },
      { nextToken: 'abc' },
    ];
    for (const params of bad)
      assert.throws(
        () => query(params),
        (err: ApiError) => err.code === 'InvalidArgument',
      );
    assert.throws(() => parseListQuery(new Map()), ApiError);
    assert.deepEqual(query({}), {
      queueId: undefined,
      states: 'All',
      order: 'Desc',
      size: 10,
      after: undefined,
      startMs: undefined,
      endMs: undefined,
    });
  });

  it('filters by queue, states and creation window and pages in both orders', () => {
    assert.equal(listJobs(jobs, query({ queueId: 'q2', size: '100' })).jobs.length, 5);
    assert.ok(
      listJobs(jobs, query({ states: 'Success,Failed', size: '100' })).jobs.every((j) => j.state === 'Success'),
    );
    const window = query({
      startCreationTime: formatCiTime(1_003_000),
      endCreationTime: formatCiTime(1_005_000),
      size: '100',
    });
    // Both ends are strict ("greater than" / "less than"): the jobs created exactly at 1003 s and 1005 s are out.
    assert.deepEqual(
      listJobs(jobs, window).jobs.map((j) => j.seq),
      [4],
    );
    const seen: number[] = [];
    let token = '';
    do {
      const page = listJobs(jobs, query({ orderByTime: 'Asc', size: '10', nextToken: token }));
      seen.push(...page.jobs.map((j) => j.seq));
      token = page.nextToken;
    } while (token);
    assert.deepEqual(
      seen,
      jobs.map((j) => j.seq),
    );
    assert.deepEqual(
      listJobs(jobs, query({ size: '3' })).jobs.map((j) => j.seq),
      [25, 24, 23],
    );
  });
});

describe('submit-request', () => {
  it('fills defaults, prefers Object over Url and reads callbacks', () => {
    const spec = parseSubmitRequest(
      submitXml({
        extra: { Input: { Object: 'a.wav', Url: 'http://x/a.wav' }, CallBack: 'http://cb/x', CallBackFormat: 'JSON' },
      }),
    );
    assert.deepEqual(spec.input, { object: 'a.wav' });
    assert.equal(spec.speechRecognition.ConvertNumMode, '1');
    assert.equal(spec.speechRecognition.OutputFileType, 'txt');
    assert.deepEqual(spec.callback, { url: 'http://cb/x', format: 'JSON', type: 'Url' });
  });

  it('uses a known template and refuses an unknown one', () => {
    const templates = { t1abc: { name: 'tpl', speechRecognition: { EngineModelType: '8k_zh', ChannelNum: '2' } } };
    const spec = parseSubmitRequest(submitXml({ speech: {}, operation: { TemplateId: 't1abc' } }), templates);
    assert.equal(spec.speechRecognition.EngineModelType, '8k_zh');
    assert.equal(spec.templateName, 'tpl');
    assert.throws(
      () => parseSubmitRequest(submitXml({ operation: { TemplateId: 'nope' } })),
      (err: ApiError) => err.code === 'TemplateNotFound' && /Template nope/.test(err.message),
    );
  });
});

describe('routing', () => {
  const defaults = { bucket: 'd-1', region: 'ap-d' };
  it('routes virtual hosts, absolute-form targets and the bare host', () => {
    const ci = resolveTarget('http://b-125.ci.ap-x.myqcloud.com/asr_jobs?size=1', 'ignored', defaults);
    assert.deepEqual(
      [ci.service, ci.bucket, ci.region, ci.host, ci.pathname],
      ['ci', 'b-125', 'ap-x', 'b-125.ci.ap-x.myqcloud.com', '/asr_jobs'],
    );
    assert.equal(resolveTarget('/k%20x', 'b-125.cos.ap-x.myqcloud.com', defaults).pathname, '/k x');
    assert.equal(resolveTarget('/asr_jobs', 'b-125.cos.ap-x.myqcloud.com', defaults).service, 'cos');
    assert.equal(resolveTarget('/jobs/s1', '127.0.0.1:9', defaults).service, 'ci');
    assert.equal(resolveTarget('/jobsx', '127.0.0.1:9', defaults).service, 'cos');
    assert.equal(resolveTarget('/_emulator/counters', '127.0.0.1:9', defaults).service, 'admin');
    // The region host serves bucket-less CI calls (GET /asrbucket): no bucket, its own region.
    const regional = resolveTarget('/asrbucket', 'ci.ap-x.myqcloud.com', defaults);
    assert.deepEqual([regional.service, regional.bucket, regional.region], ['ci', '', 'ap-x']);
    assert.equal(resolveTarget('/asrqueue', '127.0.0.1:9', defaults).service, 'ci');
    assert.throws(
      () => resolveTarget('/', 'cos.ap-x.myqcloud.com', defaults),
      (e: ApiError) => e.code === 'InvalidHost',
    );
  });

  it('keeps + in query values and names CI routes', () => {
    assert.deepEqual(parseQuery('t=2022-09-02T10:25:38+0800&cancel'), [
      ['t', '2022-09-02T10:25:38+0800'],
      ['cancel', ''],
    ]);
    assert.equal(ciRouteName('PUT', '/jobs/s1', [['cancel', '']]), 'PUT /jobs/:id?cancel');
    assert.equal(ciRouteName('PUT', '/jobs/s1', []), undefined);
    assert.equal(ciRouteName('GET', '/asr_jobs/a,b', []), 'GET /asr_jobs/:ids');
  });
});

describe('wav and transcript', () => {
  it('reads the WAV header and estimates other media', () => {
    const wav = parseWavHeader(silentWav(2.5, 8000, 2));
    assert.deepEqual(wav && [wav.channels, wav.sampleRate, wav.durationSeconds], [2, 8000, 2.5]);
    assert.equal(parseWavHeader(Buffer.from('ID3 not a wav file')), undefined);
    assert.equal(audioSeconds(Buffer.alloc(48_000)), 3);
    assert.equal(audioSeconds(Buffer.alloc(10)), 1);
  });

  it('generates clearly emulated text unless a sidecar exists', () => {
    assert.deepEqual(transcriptLines(' one \n\n two\n', 'b/k', 100), ['one', 'two']);
    const generated = transcriptLines(undefined, 'b/k.wav', 25);
    assert.equal(generated.length, 3);
    assert.ok(generated.every((l) => l.startsWith('[emulated transcript]') && l.endsWith('for b/k.wav')));
  });

  it('times sentences and renders Result and SRT', () => {
    const sentences = timeSentences(['Hello, world.', '你好世界'], 65.5, 1, 2);
    assert.deepEqual(
      sentences.map((s) => [s.startMs, s.endMs, s.speakerId]),
      [
        [0, 50_088, 0],
        [50_088, 65_500, 1],
      ],
    );
    assert.deepEqual(
      sentences[0]?.words.map((w) => w.word),
      ['Hello', 'world'],
    );
    assert.deepEqual(
      sentences[1]?.words.map((w) => w.word),
      ['你', '好', '世', '界'],
    );
    assert.equal(formatResultTime(65_500), '1:5.500');
    assert.equal(resultText(sentences), '[0:0.000,0:50.088] Hello, world.\n[0:50.088,1:5.500] 你好世界');
    assert.equal(srtText(sentences).split('\n')[1], '00:00:00,000 --> 00:00:50,088');
  });
});

describe('faults', () => {
  it('merges patches, validates them and resolves per-route settings', () => {
    const merged = mergeFaults(noFaults(), {
      routes: { '*': { latencyMs: 5 }, 'POST /asr_jobs': { serverErrorShare: 1 } },
    });
    assert.deepEqual(routeFaults(merged, 'POST /asr_jobs'), {
      serverErrorShare: 1,
      throttleShare: 0,
      deniedShare: 0,
      latencyMs: 5,
    });
    assert.deepEqual(routeFaults(merged, 'GET object'), {
      serverErrorShare: 0,
      throttleShare: 0,
      deniedShare: 0,
      latencyMs: 5,
    });
    assert.throws(
      () =>
        mergeFaults(noFaults(), { callbackDropShare: 2, failJobs: [{ code: 'X', message: 'y', inputPattern: '(' }] }),
      (err: Error) =>
        err instanceof InvalidFaultConfigError &&
        /callbackDropShare/.test(err.message) &&
        /inputPattern/.test(err.message),
    );
    assert.equal(fires(0), false);
    assert.equal(fires(1), true);
    assert.equal(
      fires(0.5, () => 0.4),
      true,
    );
    const rules = mergeFaults(noFaults(), {
      failJobs: [
        { code: 'A', message: 'a', inputPattern: 'bad/' },
        { code: 'B', message: 'b' },
      ],
    });
    assert.equal(forcedFailureFor(rules, 'b-1/bad/x.wav')?.code, 'A');
    assert.equal(forcedFailureFor(rules, 'b-1/good.wav')?.code, 'B');
  });
});

describe('independence from src/ci', () => {
  it('emulator modules import only each other, packages, Node built-ins, the error base and process plumbing', () => {
    // The process entry's config reader and signal handling carry no CI knowledge, so sharing them is harmless.
    const shared = new Set(['../shared/errors', '../shared/listen', '../config/reader', '../config/process-entry']);
    const dir = join(__dirname, '..', 'src', 'emulator');
    const foreign = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) =>
        [...readFileSync(join(dir, f), 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '(\.\.\/[^']+)'/gms)]
          .map((m) => m[1]!)
          .filter((spec) => !shared.has(spec))
          .map((spec) => `${f}: ${spec}`),
      );
    assert.deepEqual(foreign, []);
  });
});

describe('CI auth codes, media sniffing, variants', () => {
  const rejection = (reason: SignatureRejection['reason']): SignatureRejection => ({
    status: 403,
    code: 'AccessDenied',
    message: 'x',
    reason,
  });

  it("maps every refused signature to CI's code, with the variant's status (row 20)", () => {
    const codes = (
      ['missing', 'malformed', 'unknownKey', 'expired', 'early', 'mismatch', 'tokenExpired', 'tokenInvalid'] as const
    ).map((reason) => ciAuthRejection(rejection(reason), 401).code);
    assert.deepEqual(codes, [
      'MissingAuthorization',
      'InvalidAuthorization',
      'SecretidNotExist',
      'SignatureExpired',
      'InvalidAuthorization',
      'InvalidAuthorization',
      'SignatureExpired',
      'InvalidAuthorization',
    ]);
    assert.equal(ciAuthRejection(rejection('expired'), 403).status, 403);
  });

  it('recognises audio and video containers by their leading bytes and nothing else', () => {
    const media = [
      silentWav(0.01),
      Buffer.from('ID3\u0003\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'),
      Buffer.from([0xff, 0xfb, 0x90, 0x00]),
      Buffer.from([0xff, 0xf1, 0x50, 0x80]),
      Buffer.from('fLaC\u0000\u0000', 'latin1'),
      Buffer.from('OggS\u0000\u0002', 'latin1'),
      Buffer.from('#!AMR\n', 'latin1'),
      Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypM4A ', 'latin1')]),
      Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x01]),
    ];
    for (const bytes of media) assert.equal(looksLikeMedia(bytes), true, bytes.subarray(0, 8).toString('hex'));
    const other = [
      Buffer.from('# README\n'),
      Buffer.alloc(64),
      Buffer.from('{"a":1}'),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    ];
    for (const bytes of other) assert.equal(looksLikeMedia(bytes), false, bytes.subarray(0, 8).toString('hex'));
  });

  it('parses --variant values and the two sets cover every value of every variant', () => {
    assert.deepEqual(parseVariants([]), DEFAULT_VARIANTS);
    assert.equal(parseVariants(['authStatus=403,resultSpacing=2']).authStatus, 403);
    assert.equal(parseVariants(['alternative']).lastPageToken, 'absent');
    assert.throws(() => parseVariants(['authStatus=500']), VariantError);
    assert.throws(() => parseVariants(['nope=1']), VariantError);
    for (const [name, values] of Object.entries(VARIANT_VALUES)) {
      const covered = Object.values(VARIANT_SETS).map((set) => set[name as keyof EmulatorVariants]);
      assert.deepEqual([...new Set(covered)].sort(), [...values].sort(), name);
    }
  });
});

describe('emulator process configuration', () => {
  const keys = ['--secret-id', 'AKIDx', '--secret-key', 'k'];

  it('reads --variant (set names and name=value pairs) and EMULATOR_VARIANT, refusing unknown ones', () => {
    assert.equal(loadEmulatorConfig({}, keys).variants, undefined);
    const flag = loadEmulatorConfig({}, [...keys, '--variant', 'alternative,authStatus=401']).variants;
    assert.deepEqual([flag?.authStatus, flag?.resultSpacing, flag?.listQueueId], [401, 2, 'optional']);
    assert.equal(loadEmulatorConfig({ EMULATOR_VARIANT: 'throttleStatus=429' }, keys).variants?.throttleStatus, 429);
    assert.throws(
      () => loadEmulatorConfig({}, [...keys, '--variant', 'authStatus=500']),
      (err: Error) => /Variant authStatus is one of 401, 403/.test(err.message),
    );
  });
});
