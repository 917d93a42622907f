import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Client } from '@temporalio/client';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { tracingClientInterceptors } from '../src/observability/client-tracing';
import type { Tracing } from '../src/observability/tracing';
import { startTracing } from '../src/observability/tracing';
import { bundleTranscriptionWorkflows } from '../src/worker-setup/transcription-worker';
import { ciCallbackSignal, ciCallbackUpdate, transcribeMedia } from '../src/workflows';
import type { TestStack } from './helpers/stack';
import { startStack, TEST_BUCKET } from './helpers/stack';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

const recognition = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } } as const;

/** The spans of one trace as a tree: each span's name under its parent's, in start order. */
function spanTree(spans: ReadableSpan[]): string[] {
  const byParent = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((s) => s.spanContext().spanId));
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    byParent.set(parent, [...(byParent.get(parent) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, depth: number): void => {
    const children = [...(byParent.get(parent) ?? [])].sort((a, b) => hrMs(a.startTime) - hrMs(b.startTime));
    for (const child of children) {
      lines.push(`${'  '.repeat(depth)}${child.name}`);
      walk(child.spanContext().spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines;
}

function hrMs([s, ns]: [number, number]): number {
  return s * 1000 + ns / 1e6;
}

describe('one trace per transcription, on a real Temporal server, the emulator and the receiver', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let temporal: TemporalTestServer;
  let stack: TestStack;
  let client: Client;

  before(async () => {
    tracing = startTracing({ serviceName: 'test', spanProcessor: new SimpleSpanProcessor(exporter) });
    temporal = await startTemporalForTests();
    const bundle = await bundleTranscriptionWorkflows();
    stack = await startStack(temporal, { workflowBundle: bundle, callbacks: true, tracing });
    client = new Client({ connection: temporal.env.connection, interceptors: tracingClientInterceptors() });
  });
  after(async () => {
    await stack?.stop();
    await temporal?.teardown();
    await tracing?.shutdown();
  });

  /** Runs one transcription and returns the spans of its trace once the workflow span has been exported. */
  async function traceOf(
    input: Parameters<typeof transcribeMedia>[0],
    alsoWaitFor: readonly string[] = [],
  ): Promise<ReadableSpan[]> {
    const handle = await client.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId: `traced-${randomUUID()}`,
      args: [input],
    });
    await handle.result();
    const start = () =>
      exporter
        .getFinishedSpans()
        .find(
          (s) => s.name === 'StartWorkflow:transcribeMedia' && s.attributes.temporalWorkflowId === handle.workflowId,
        );
    const root = await waitFor('the StartWorkflow span', start);
    const traceId = root.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    // The run can end inside the callback's own update (the check is a local activity of that task): the receiver's
    // spans then end just after the workflow's, when the update's answer reaches it.
    for (const name of ['RunWorkflow:transcribeMedia', ...alsoWaitFor]) {
      await waitFor(`the ${name} span`, () => (inTrace().some((s) => s.name === name) ? true : undefined));
    }
    return inTrace();
  }

  function seed(): string {
    const key = `audio/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
    stack.emulator.putObject(TEST_BUCKET, `${key}${TRANSCRIPT_SUFFIX}`, 'traced');
    return key;
  }

  function assertNoSecrets(spans: ReadableSpan[]): void {
    const forbidden = [
      stack.secrets.secretId,
      stack.secrets.secretKey,
      stack.secrets.callbackSecret,
      'sig=',
      'q-signature',
      'Authorization',
    ];
    for (const span of spans) {
      const text = JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events });
      for (const secret of forbidden) assert.ok(!text.includes(secret), `span ${span.name} contains ${secret}`);
    }
  }

  function parentOf(spans: ReadableSpan[], span: ReadableSpan): ReadableSpan | undefined {
    return spans.find((s) => s.spanContext().spanId === span.parentSpanId);
  }

  it('callback path: client start → workflow → activities → CI requests → receiver → signal into the workflow', async () => {
    const spans = await traceOf(
      {
        media: { object: seed() },
        recognition,
        polling: { firstDelay: '1 hour', maxInterval: '2 hours' },
      },
      ['POST /ci/callback/{workflowId}', `StartWorkflowUpdate:${ciCallbackUpdate.name}`],
    );
    const tree = spanTree(spans);
    const root = spans.find((s) => !parentOf(spans, s));
    assert.equal(root?.name, 'StartWorkflow:transcribeMedia', tree.join('\n'));
    const named = (name: string) => spans.filter((s) => s.name === name);
    const one = (name: string) => {
      const found = named(name);
      assert.equal(found.length, 1, `${name} in\n${tree.join('\n')}`);
      return found[0]!;
    };
    const run = one('RunWorkflow:transcribeMedia');
    assert.equal(parentOf(spans, run), root);
    const runSubmit = one('RunActivity:submitTranscriptionJob');
    assert.equal(parentOf(spans, runSubmit)?.name, 'StartActivity:submitTranscriptionJob');
    const submit = one('CI submit');
    assert.equal(parentOf(spans, submit), runSubmit);
    assert.equal(submit.kind, SpanKind.CLIENT);
    assert.equal(submit.attributes['http.request.method'], 'POST');
    assert.equal(submit.attributes['http.route'], '/asr_jobs');
    assert.equal(submit.attributes['http.response.status_code'], 200);
    assert.match(String(submit.attributes['tencent.request_id']), /\S/);

    // CI's callback joins the trace through the traceparent of its URL, then the update carries it into the workflow
    // (its validator first: a refused update writes nothing to history).
    const callback = one('POST /ci/callback/{workflowId}');
    assert.equal(callback.kind, SpanKind.SERVER);
    assert.equal(parentOf(spans, callback), runSubmit);
    assert.equal(callback.attributes['http.response.status_code'], 200);
    const update = one(`StartWorkflowUpdate:${ciCallbackUpdate.name}`);
    assert.equal(parentOf(spans, update), callback);
    assert.equal(parentOf(spans, one(`ValidateUpdate:${ciCallbackUpdate.name}`)), update);
    assert.equal(parentOf(spans, one(`HandleUpdate:${ciCallbackUpdate.name}`)), update);

    const runCheck = one('RunActivity:checkTranscriptionJob');
    assert.equal(parentOf(spans, parentOf(spans, runCheck)!), run);
    const get = one('CI get');
    assert.equal(parentOf(spans, get), runCheck);
    assert.equal(get.attributes['http.route'], '/asr_jobs/{jobIds}');
    assert.equal(parentOf(spans, one('COS putObject')), runCheck);
    assertNoSecrets(spans);
  });

  it('a run started without a trace context does no span work in the workflow, on a worker that traces', async () => {
    // Workflow-side spans reach the span processor through the worker's sink before the activation that made them is
    // completed, so every span of the run has been exported once its result is known.
    const untraced = new Client({ connection: temporal.env.connection });
    exporter.reset();
    const handle = await untraced.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId: `untraced-${randomUUID()}`,
      args: [{ media: { object: seed() }, recognition, polling: { firstDelay: '1 hour', maxInterval: '2 hours' } }],
    });
    assert.equal((await handle.result()).completedBy, 'callback');
    const workflowSide =
      /^(RunWorkflow|StartActivity|HandleUpdate|ValidateUpdate|HandleSignal|StartChildWorkflow|ContinueAsNew):/;
    const names = exporter.getFinishedSpans().map((s) => s.name);
    assert.deepEqual(
      names.filter((name) => workflowSide.test(name)),
      [],
      names.join('\n'),
    );
    // The activities still run traced on this worker: the test did see the run's spans.
    assert.ok(names.includes('RunActivity:submitTranscriptionJob'), names.join('\n'));
  });

  it('poll path: the checks are children of the workflow, and no receiver span joins the trace', async () => {
    const spans = await traceOf({
      media: { object: seed() },
      recognition,
      callback: { enabled: false },
      polling: { firstDelay: '100ms', jitter: 0 },
    });
    const tree = spanTree(spans);
    const names = spans.map((s) => s.name);
    assert.equal(names.filter((n) => n === 'CI submit').length, 1, tree.join('\n'));
    assert.ok(!names.includes('POST /ci/callback/{workflowId}'), tree.join('\n'));
    assert.ok(!names.includes(`StartWorkflowUpdate:${ciCallbackUpdate.name}`), tree.join('\n'));
    assert.ok(!names.includes(`SignalWorkflow:${ciCallbackSignal.name}`), tree.join('\n'));
    const run = spans.find((s) => s.name === 'RunWorkflow:transcribeMedia')!;
    const checks = spans.filter((s) => s.name === 'RunActivity:checkTranscriptionJob');
    assert.ok(checks.length >= 1, tree.join('\n'));
    for (const check of checks) {
      assert.equal(parentOf(spans, parentOf(spans, check)!), run);
      const gets = spans.filter((s) => s.name === 'CI get' && s.parentSpanId === check.spanContext().spanId);
      assert.equal(gets.length, 1, tree.join('\n'));
    }
    assertNoSecrets(spans);
  });
});
