/**
 * Runs a real mix of transcriptions on the local stack (Temporal dev server, CI emulator, receiver, an in-process
 * worker with Prometheus metrics and tracing to memory), scrapes the worker's and the receiver's /metrics every few
 * seconds, and writes what it saw for scripts/observability/render.py:
 *
 *   npx tsx scripts/observability/capture-run.ts [outDir=docs/observability] [seconds=150]
 *
 * metrics.json: per scrape, every business-metric sample (labels reduced to the ones the dashboard groups by).
 * trace.json: the spans of the callback-path transcription with the most submit attempts (a lost response or a
 * throttled submit, then a retry that adopts or submits) — the richest tree a single run produces.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { findFreePort } from '../../devstack/free-port';
import { startLocalServices } from '../../devstack/local-services';
import { exitOnDevStackFailure, requireTemporalCli } from '../../devstack/temporal-cli';
import { startTemporalDevServer } from '../../devstack/temporal-dev-server';
import { silentWav, TRANSCRIPT_SUFFIX } from '../../src/emulator';
import { tracingClientInterceptors } from '../../src/observability/client-tracing';
import { WORKER_HISTOGRAM_BUCKETS } from '../../src/observability/metric-names';
import { startTracing } from '../../src/observability/tracing';
import { createQuotaWorker } from '../../src/plugin/quota-worker';
import { bundleTranscriptionWorkflows, createTranscriptionWorker } from '../../src/worker-setup/transcription-worker';
import { transcribeMedia } from '../../src/workflows';
import type { TranscribeMediaInput } from '../../src';

const KEPT_LABELS = new Set(['outcome', 'completed_by', 'code', 'action', 'reason', 'le']);
const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

/** Business-metric samples of one exposition, labels reduced to those the dashboard groups by. */
function samples(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^((?:ci_asr|ci_callback)_[a-z_]+)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)]
      .filter(([, k]) => KEPT_LABELS.has(k!))
      .map(([, k, v]) => `${k}=${v}`)
      .join(',');
    const key = `${m[1]}{${labels}}`;
    out[key] = (out[key] ?? 0) + Number(m[3]);
  }
  return out;
}

function spanJson(span: ReadableSpan) {
  const ms = ([s, ns]: [number, number]) => s * 1000 + ns / 1e6;
  return {
    name: span.name,
    kind: span.kind,
    spanId: span.spanContext().spanId,
    parentSpanId: span.parentSpanId,
    startMs: ms(span.startTime),
    endMs: ms(span.endTime),
    status: span.status.code,
    attributes: span.attributes,
  };
}

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? 'docs/observability';
  const seconds = Number(process.argv[3] ?? 150);
  const metricsPort = await findFreePort();
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: {
      metrics: {
        prometheus: { bindAddress: `127.0.0.1:${metricsPort}`, histogramBucketOverrides: WORKER_HISTOGRAM_BUCKETS },
      },
    },
  });
  const spans = new InMemorySpanExporter();
  const tracing = startTracing({ serviceName: 'capture', spanProcessor: new SimpleSpanProcessor(spans) });
  const cli = requireTemporalCli();
  const server = await startTemporalDevServer({ executable: cli });
  const services = await startLocalServices({
    temporal: { address: server.address, namespace: 'default' },
    emulator: { timings: { queuedMs: 300, runningMs: 1500 }, queueConcurrency: 4 },
  });
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, interceptors: tracingClientInterceptors() });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const taskQueue = 'capture';
  const worker = await createTranscriptionWorker({
    connection: nativeConnection,
    taskQueue,
    deps: services.deps,
    tracing,
    workflowBundle: await bundleTranscriptionWorkflows(),
  });
  // Lone runs submit on the CI quota queue (`submitTaskQueue`): its worker serves them, as the plugin's does.
  const quota = await createQuotaWorker({ connection: nativeConnection, taskQueue, deps: services.deps, tracing });
  const running = Promise.all([worker.run(), quota.run()]);

  const results: Promise<unknown>[] = [];
  const start = async (
    input: Omit<TranscribeMediaInput, 'media' | 'recognition'>,
    audioSeconds: number,
    dir: string,
  ) => {
    const key = `${dir}/${randomUUID()}.wav`;
    services.emulator.putObject(services.bucket, key, silentWav(audioSeconds));
    services.emulator.putObject(services.bucket, `${key}${TRANSCRIPT_SUFFIX}`, 'captured run');
    const handle = await client.workflow.start(transcribeMedia, {
      taskQueue,
      workflowId: `capture-${randomUUID()}`,
      args: [{ ...input, media: { object: key }, recognition }],
    });
    results.push(handle.result().catch(() => undefined));
  };
  const slow = { polling: { firstDelay: '1 hour', maxInterval: '2 hours' } };
  const polled = { callback: { enabled: false }, polling: { firstDelay: '2s', maxInterval: '10s' } };
  services.emulator.setFaults({
    failJobs: [{ code: 'AudioDecodeFailed', message: 'cannot decode', inputPattern: 'corrupt/' }],
  });

  const scrapes: { t: number; values: Record<string, number> }[] = [];
  const began = Date.now();
  const scrape = async () => {
    const worker = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const receiver = (await services.receiver!.metrics.render()).body;
    scrapes.push({ t: (Date.now() - began) / 1000, values: { ...samples(worker), ...samples(receiver) } });
  };
  for (let wave = 0; (Date.now() - began) / 1000 < seconds; wave++) {
    await scrape();
    // A steady mix: mostly callbacks, some poll-only runs, a corrupt file now and then, a lost submit response,
    // a burst of throttled submits, and forged callbacks at the receiver.
    await start(slow, 5 + ((wave * 7) % 50), 'audio');
    await start(slow, 10 + ((wave * 13) % 110), 'audio');
    if (wave % 3 === 0) await start(polled, 20 + ((wave * 5) % 60), 'audio');
    if (wave % 7 === 3) await start(slow, 8, 'corrupt');
    if (wave % 9 === 4) {
      services.emulator.setFaults({ loseSubmitResponses: 1 });
      await start(slow, 30, 'audio');
    }
    if (wave % 11 === 6) {
      services.emulator.setFaults({ routes: { 'POST /asr_jobs': { throttleShare: 1 } } });
      await start(slow, 12, 'audio');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      services.emulator.setFaults({ routes: {} });
    }
    if (wave % 4 === 1) await fetch(`${services.receiver!.url}/ci/callback/forged?exp=1&sig=x`, { method: 'POST' });
    if (wave % 10 === 2) await fetch(`${services.receiver!.url}/ci/callback/forged`, { method: 'POST' });
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  await Promise.all(results);
  await scrape();

  const all = spans.getFinishedSpans();
  // The richest callback-path trace: the most submit attempts (a lost response or throttling, then an adoption).
  const traces = new Map<string, ReadableSpan[]>();
  for (const span of all)
    traces.set(span.spanContext().traceId, [...(traces.get(span.spanContext().traceId) ?? []), span]);
  const count = (trace: ReadableSpan[], name: string) => trace.filter((s) => s.name === name).length;
  const candidates = [...traces.values()].filter(
    (t) => count(t, 'StartWorkflow:transcribeMedia') === 1 && count(t, 'POST /ci/callback/{workflowId}') >= 1,
  );
  candidates.sort((a, b) => count(b, 'CI submit') - count(a, 'CI submit'));
  const chosen = candidates[0] ?? [];
  const tracedWorkflowId = chosen.find((s) => s.name === 'StartWorkflow:transcribeMedia')?.attributes
    .temporalWorkflowId;
  const trace = chosen.map(spanJson);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'metrics.json'), `${JSON.stringify({ scrapeIntervalSeconds: 5, scrapes })}\n`);
  writeFileSync(
    join(outDir, 'trace.json'),
    `${JSON.stringify({ workflowId: tracedWorkflowId, spans: trace }, null, 1)}\n`,
  );
  console.log(`${scrapes.length} scrapes, ${results.length} transcriptions, ${trace.length} spans in the traced run`);

  worker.shutdown();
  quota.shutdown();
  await running;
  await nativeConnection.close();
  await connection.close();
  await services.stop();
  await tracing.shutdown();
  await server.stop();
}

main().catch(exitOnDevStackFailure);
