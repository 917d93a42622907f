import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { isPackageJobTag, jobTagFor } from '../src/activities/submit/tag';
import { ConfigError } from '../src/config/reader';
import { inCallbackSpan } from '../src/observability/callback-trace';
import { startTracing } from '../src/observability/tracing';
import { loadReceiverConfig } from '../src/receiver/config';
import { JobOwners } from '../src/receiver/job-owners';
import { queueCallbackUrl, verifyQueueToken } from '../src/receiver/queue-token';
import type { JobOwnersAnswer } from '../src/receiver/temporal';
import { resolveTranscribeMediaInput } from '../src/workflows/transcribe-media/input';
import { TEST_SECRET } from './fixtures/receiver-helpers';

const TOKEN = 'test-only-queue-token-0123456789abcdef';
const PREVIOUS = 'test-only-queue-token-previous-0123456789';

describe('queue callback token', () => {
  it('accepts the current and the previous token, in the query only', () => {
    assert.equal(verifyQueueToken(`token=${TOKEN}`, [TOKEN, PREVIOUS]), 'valid');
    assert.equal(verifyQueueToken(`a=1&token=${PREVIOUS}`, [TOKEN, PREVIOUS]), 'valid');
    assert.equal(verifyQueueToken(`token=${TOKEN}x`, [TOKEN]), 'invalid');
    assert.equal(verifyQueueToken(`token=${TOKEN.slice(1)}`, [TOKEN]), 'invalid', 'a shorter token');
    assert.equal(verifyQueueToken('', [TOKEN]), 'missing');
    assert.equal(verifyQueueToken('token=', [TOKEN]), 'missing');
    assert.equal(verifyQueueToken(`token=${TOKEN}&token=${TOKEN}`, [TOKEN]), 'malformed');
    assert.equal(verifyQueueToken(`token=${TOKEN}`, []), 'invalid', 'no token configured accepts nothing');
  });

  it('builds the NotifyConfig URL from the public base', () => {
    assert.equal(
      queueCallbackUrl('https://hooks.example.com/', TOKEN),
      `https://hooks.example.com/ci/queue?token=${TOKEN}`,
    );
    assert.throws(() => queueCallbackUrl('https://hooks.example.com', ''), TypeError);
  });

  it("tells this package's job tags from other applications' UserData", () => {
    assert.ok(isPackageJobTag(jobTagFor({ namespace: 'n', workflowId: 'w', runId: 'r' }, 'transcribe')));
    assert.ok(isPackageJobTag('temporal-asr:v2:future'));
    assert.ok(!isPackageJobTag(undefined));
    assert.ok(!isPackageJobTag('order-42'));
  });
});

describe('JobOwners (visibility lookup by CiJobId)', () => {
  function scripted(answers: JobOwnersAnswer[]) {
    const calls: string[] = [];
    const slept: number[] = [];
    const owners = new JobOwners(
      (jobId) => {
        calls.push(jobId);
        return Promise.resolve(answers.shift() ?? { outcome: 'ok', workflowIds: [] });
      },
      100,
      [10, 20, 40],
      (ms) => {
        slept.push(ms);
        return Promise.resolve();
      },
    );
    return { owners, calls, slept };
  }

  it('retries a miss with the backoff until the run is listed, then remembers it', async () => {
    const { owners, calls, slept } = scripted([
      { outcome: 'ok', workflowIds: [] },
      { outcome: 'ok', workflowIds: [] },
      { outcome: 'ok', workflowIds: ['wf-1'] },
    ]);
    assert.deepEqual(await owners.find('s1'), { workflowIds: ['wf-1'] });
    assert.deepEqual(slept, [10, 20]);
    assert.deepEqual(await owners.find('s1'), { workflowIds: ['wf-1'] });
    assert.equal(calls.length, 3, 'the second find is answered from memory');
  });

  it('gives up after the last delay, and does not remember a miss', async () => {
    const { owners, calls, slept } = scripted([]);
    assert.deepEqual(await owners.find('s2'), { notFound: true });
    assert.deepEqual(slept, [10, 20, 40]);
    assert.equal(calls.length, 4);
    assert.deepEqual(await owners.find('s2', false), { notFound: true });
    assert.equal(calls.length, 5, 'asked again, once, without waiting');
  });

  it('reports Temporal being unavailable at once', async () => {
    const { owners, slept } = scripted([{ outcome: 'temporal_unavailable' }]);
    assert.deepEqual(await owners.find('s3'), { failure: 'temporal_unavailable' });
    assert.deepEqual(slept, []);
  });
});

describe('queue callback configuration', () => {
  const base = {
    TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml',
    TEMPORAL_ADDRESS: 'temporal.internal:7233',
    CALLBACK_SECRET: TEST_SECRET,
  };
  const problems = (env: Record<string, string>): readonly string[] => {
    try {
      loadReceiverConfig({ ...base, ...env });
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.problems;
    }
    return [];
  };

  it('is off by default and reads the current and previous tokens', () => {
    assert.deepEqual(loadReceiverConfig(base).queueTokens, []);
    const config = loadReceiverConfig({
      ...base,
      RECEIVER_QUEUE_TOKEN: TOKEN,
      RECEIVER_QUEUE_TOKEN_PREVIOUS: PREVIOUS,
    });
    assert.deepEqual(config.queueTokens, [TOKEN, PREVIOUS]);
  });

  it('refuses short, URL-unsafe or reused tokens without echoing them', () => {
    assert.deepEqual(problems({ RECEIVER_QUEUE_TOKEN: 'short' }), [
      'RECEIVER_QUEUE_TOKEN must be at least 32 characters',
    ]);
    assert.deepEqual(problems({ RECEIVER_QUEUE_TOKEN: `${TOKEN}&x=1` }), [
      'RECEIVER_QUEUE_TOKEN must be URL-safe (letters, digits, . _ ~ -)',
    ]);
    assert.deepEqual(problems({ RECEIVER_QUEUE_TOKEN: TEST_SECRET }), [
      'RECEIVER_QUEUE_TOKEN must differ from the callback secrets',
    ]);
    assert.deepEqual(problems({ RECEIVER_QUEUE_TOKEN_PREVIOUS: PREVIOUS }), [
      'RECEIVER_QUEUE_TOKEN_PREVIOUS needs RECEIVER_QUEUE_TOKEN',
    ]);
  });
});

describe('transcribeMedia input: callback.via', () => {
  const input = { media: { object: 'a.wav' }, recognition: { templateId: 't1' } };

  it("adds via only for 'queue', so the activity input of other runs is unchanged", () => {
    const plain = resolveTranscribeMediaInput(input);
    assert.ok(plain.ok);
    assert.deepEqual(plain.value.callback, { enabled: true, format: 'XML' });
    const viaJob = resolveTranscribeMediaInput({ ...input, callback: { via: 'job' } });
    assert.ok(viaJob.ok);
    assert.deepEqual(viaJob.value.callback, { enabled: true, format: 'XML' });
    const viaQueue = resolveTranscribeMediaInput({ ...input, callback: { via: 'queue' } });
    assert.ok(viaQueue.ok);
    assert.deepEqual(viaQueue.value.callback, { enabled: true, format: 'XML', via: 'queue' });
  });

  it('refuses another value', () => {
    const resolution = resolveTranscribeMediaInput({ ...input, callback: { via: 'tdmq' } });
    assert.deepEqual(resolution, { ok: false, problems: ["callback.via must be 'job' or 'queue'"] });
  });
});

describe('the callback span', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ serviceName: 'unit', spanProcessor: new SimpleSpanProcessor(exporter) });
  after(() => tracing.shutdown());

  it('reports 500 and the error type when the handler throws, not the 200 of an unwritten response', async () => {
    const res = { statusCode: 200, headersSent: false } as ServerResponse;
    await assert.rejects(
      inCallbackSpan('', res, () => Promise.reject(new RangeError('boom')), '/ci/queue'),
      RangeError,
    );
    const span = exporter.getFinishedSpans().at(-1);
    assert.ok(span);
    assert.equal(span.name, 'POST /ci/queue');
    assert.equal(span.attributes['http.response.status_code'], 500);
    assert.equal(span.attributes['error.type'], 'RangeError');
    assert.equal(span.status.code, SpanStatusCode.ERROR);
    assert.ok(!JSON.stringify(span.status).includes('boom'), 'the message is not exported');
  });

  it('keeps the written status when the handler returns', async () => {
    const res = { statusCode: 403, headersSent: true } as ServerResponse;
    await inCallbackSpan('', res, () => Promise.resolve());
    const span = exporter.getFinishedSpans().at(-1);
    assert.equal(span?.name, 'POST /ci/callback/{workflowId}');
    assert.equal(span?.attributes['http.response.status_code'], 403);
    assert.equal(span?.status.code, SpanStatusCode.UNSET);
  });
});
