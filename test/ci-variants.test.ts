/**
 * The client against every answer CI may plausibly give where no source settles it (docs/emulator.md, "Variants"):
 * its job paths run once per variant set, and the two sets together give every variant each of its values.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { parseJsonNotification, parseXmlNotification } from '../src/callback/notification';
import { refreshingCredentials } from '../src/ci/credentials';
import { CiError } from '../src/ci/errors';
import { createTencentClients } from '../src/tencent/clients';
import type { TencentClients } from '../src/tencent/clients';
import { parseResultText } from '../src/ci/result/result-text';
import type { AsrJob, SubmitAsrJobRequest } from '../src/ci/types';
import type { EmulatorVariants, RunningEmulator } from '../src/emulator';
import { silentWav, TRANSCRIPT_SUFFIX, VARIANT_SETS } from '../src/emulator';
import { FailureType } from '../src/shared/failure-types';
import { transcribeMedia } from '../src/workflows';
import { BUCKET, REGION, startTestEmulator } from './fixtures/emulator-helpers';
import { TEST_BUCKET, useStackFactory } from './helpers/stack';
import { waitFor } from './helpers/wait';

const SENTENCES = ['第一句话。', 'second sentence here'];
const recognition = { EngineModelType: '16k_zh', ChannelNum: 1 } as const;

/** A local HTTP endpoint that keeps every callback body it is sent. */
async function startCallbackSink(): Promise<{ url: string; bodies: string[]; close: () => Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/cb`,
    bodies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const [setName, variants] of Object.entries(VARIANT_SETS) as Array<[string, EmulatorVariants]>) {
  describe(`the client against the emulator's "${setName}" variant set`, () => {
    let emulator: RunningEmulator;
    let clients: TencentClients;
    let sink: Awaited<ReturnType<typeof startCallbackSink>>;
    let fetches = 0;
    before(async () => {
      emulator = await startTestEmulator({ variants, timings: { queuedMs: 0, runningMs: 20 } });
      emulator.putObject(BUCKET, 'in/a.wav', silentWav(4));
      emulator.putObject(BUCKET, `in/a.wav${TRANSCRIPT_SUFFIX}`, SENTENCES.join('\n'));
      emulator.putObject(BUCKET, 'in/README.md', '# README\nNot a recording.\n');
      sink = await startCallbackSink();
      // Temporary keys from the emulator's STS, fetched again whenever CI refuses them.
      clients = createTencentClients({
        credentials: refreshingCredentials(() => {
          fetches++;
          const c = emulator.issueCredentials(900);
          return Promise.resolve({
            secretId: c.TmpSecretId,
            secretKey: c.TmpSecretKey,
            securityToken: c.Token,
            expiresAtMs: c.ExpiredTime * 1000,
          });
        }),
        bucket: BUCKET,
        region: REGION,
        endpoint: emulator.url,
      });
    });
    after(async () => {
      await emulator?.close();
      await sink?.close();
    });

    const request = (object: string, extra: Partial<SubmitAsrJobRequest> = {}): SubmitAsrJobRequest => ({
      Input: { Object: object },
      Operation: {
        SpeechRecognition: { ...recognition, ResTextFormat: 1 },
        Output: { Bucket: BUCKET, Region: REGION, Object: `out/${randomUUID()}.txt` },
        UserData: `u-${randomUUID()}`,
      },
      ...extra,
    });
    const finished = (jobId: string): Promise<AsrJob> =>
      waitFor(`job ${jobId} to finish`, async () => {
        const job = (await clients.ci.get([jobId])).jobs[0];
        return job && ['Success', 'Failed'].includes(job.State) ? job : undefined;
      });

    it('submits, reads the result and both callback formats', async () => {
      const json = await clients.ci.submit(request('in/a.wav', { CallBack: sink.url, CallBackFormat: 'JSON' }));
      const xml = await clients.ci.submit(request('in/a.wav', { CallBack: sink.url, CallBackFormat: 'XML' }));
      for (const submitted of [json, xml]) {
        const done = await finished(submitted.JobId);
        assert.equal(done.State, 'Success');
        const result = done.Operation.SpeechRecognitionResult!;
        assert.deepEqual(
          parseResultText(result.Result).map((s) => s.text),
          SENTENCES,
          `Result with ${variants.resultSpacing} space(s)`,
        );
        assert.equal(result.AudioTime, 4);
        assert.ok((result.ResultDetail?.length ?? 0) > 0);
      }
      await waitFor('both callbacks', () => (sink.bodies.length >= 2 ? true : undefined));
      const parsed = sink.bodies.map((body) =>
        body.trimStart().startsWith('{') ? parseJsonNotification(body) : parseXmlNotification(body),
      );
      const byJob = new Map(parsed.flat().map((n) => [n.jobId, n]));
      for (const submitted of [json, xml]) {
        const n = byJob.get(submitted.JobId);
        assert.equal(n?.state, 'Success');
        assert.equal(n?.userData, submitted.Operation.UserData);
        assert.equal(Number(n?.result?.audioTime), 4);
        assert.ok(n?.result?.objectName);
      }
    });

    it('lists every job across pages, whatever the last page says about NextToken', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) ids.add((await clients.ci.submit(request('in/a.wav'))).JobId);
      const seen = new Set<string>();
      for await (const job of clients.ci.listAll({ size: 2 })) seen.add(job.JobId);
      for (const id of ids) assert.ok(seen.has(id), id);
      const last = await clients.ci.list({ size: 100 });
      assert.equal(last.nextToken, undefined, 'an empty or absent NextToken both mean the last page');
      // No job and no NextToken: CI's answer is an empty <Response/>.
      assert.deepEqual(await clients.ci.list({ states: ['Cancel'] }), { jobs: [] });
    });

    it('reports undecodable input as a Failed job with a code and a message', async () => {
      const job = await finished((await clients.ci.submit(request('in/README.md'))).JobId);
      assert.deepEqual([job.State, job.Code], ['Failed', variants.undecodableMediaCode]);
      assert.match(job.Message ?? '', /not an audio or video file/);
    });

    it('refuses an unbound bucket for good, and classifies throttling as retryable', async () => {
      const other = { bucket: `unbound-${randomUUID().slice(0, 8)}-1250000000`, region: REGION };
      await clients.setupFor(other).closeBucket();
      await assert.rejects(clients.ciFor(other).submit(request('in/a.wav')), (err: unknown) => {
        assert.ok(err instanceof CiError);
        assert.deepEqual([err.code, err.statusCode, err.retryable], [variants.unboundBucketCode, 400, false]);
        return true;
      });
      emulator.setFaults({ routes: { 'GET /asr_jobs/:ids': { throttleShare: 1 } } });
      try {
        await assert.rejects(clients.ci.get(['s0']), {
          code: 'SlowDown',
          statusCode: variants.throttleStatus,
          retryable: true,
        });
      } finally {
        emulator.setFaults({ routes: {} });
      }
    });

    it("refreshes temporary keys that expire mid-run when the CI host answers CI's auth code", async () => {
      const submitted = await clients.ci.submit(request('in/a.wav'));
      const before = fetches;
      const cutoff = Date.now() + 1;
      emulator.setFaults({ expireTokensIssuedBefore: cutoff });
      while (Date.now() <= cutoff) await new Promise((resolve) => setImmediate(resolve));
      const job = await finished(submitted.JobId);
      assert.equal(job.State, 'Success');
      assert.equal(fetches, before + 1, 'refreshed once');
      assert.equal(emulator.counters().authRejections.SignatureExpired, 1);
    });
  });
}

describe('a transcription run per variant set (workflow, activities, receiver)', () => {
  const factory = useStackFactory();

  for (const [setName, variants] of Object.entries(VARIANT_SETS) as Array<[string, EmulatorVariants]>) {
    it(`completes by a JSON callback and reports undecodable input typed ("${setName}")`, async () => {
      const stack = await factory.stackWith({ emulator: { variants, timings: { queuedMs: 0, runningMs: 100 } } });
      const key = `audio/${randomUUID()}.wav`;
      stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
      stack.emulator.putObject(TEST_BUCKET, `${key}${TRANSCRIPT_SUFFIX}`, SENTENCES.join('\n'));
      const run = (object: string) =>
        stack.client.workflow.execute(transcribeMedia, {
          taskQueue: stack.taskQueue,
          workflowId: `variants-${setName}-${randomUUID()}`,
          args: [
            {
              media: { object },
              recognition: { speechRecognition: recognition },
              callback: { format: 'JSON' },
              polling: { firstDelay: '1 hour' },
            },
          ],
        });
      const result = await run(key);
      assert.equal(result.completedBy, 'callback');
      assert.equal(result.segments, SENTENCES.length);
      const notes = `docs/${randomUUID()}.md`;
      stack.emulator.putObject(TEST_BUCKET, notes, 'not media');
      await assert.rejects(run(notes), (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError, String(err));
        let cause: unknown = err.cause;
        while (cause && !(cause instanceof ApplicationFailure)) cause = (cause as Error).cause;
        assert.ok(cause instanceof ApplicationFailure, String(err));
        assert.equal(cause.type, FailureType.CiJobFailed);
        assert.equal((cause.details?.[0] as { code?: string }).code, variants.undecodableMediaCode);
        return true;
      });
    });
  }
});
