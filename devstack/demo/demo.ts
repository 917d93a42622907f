import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shellQuote } from '../../src/cli/cli-name';
import { ENV_FILE_VARIABLE } from '../../src/cli/env-file';
import { startBatch } from '../../src/client/batch';
import { startTranscription } from '../../src/client/transcription';
import { parseResultText } from '../../src/ci/result/result-text';
import { renderPlainText } from '../../src/ci/result/render';
import { cosUri } from '../../src/cos/ref';
import { TRANSCRIPT_SUFFIX } from '../../src/emulator';
import type { TranscriptionStatus } from '../../src/workflows/messages';
import { sourceCommand, writeStackSettings } from '../dev/dev-stack';
import { findFreePort } from '../free-port';
import type { LocalStack } from '../local-stack';
import { describeNexus } from '../local-nexus';
import { startLocalStack } from '../local-stack';
import { sampleWav } from '../sample-media';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Serve the Temporal Web UI while the demo runs; default true. */
  ui?: boolean;
  /** Offer the `transcription` Nexus service: a callers' namespace and the `tencent-ci-asr` endpoint (`--nexus`). */
  nexus?: boolean;
  /** Keep everything running after the demo until `keepAlive` resolves (e.g. Ctrl-C). */
  keepAlive?: () => Promise<void>;
  /** Where lines go; default stdout. */
  print?: (line: string) => void;
}

/** What the demo produced, for tests and scripts. */
export interface DemoOutcome {
  transcriptUri: string;
  manifestUri: string;
  transcript: string;
  batchManifestUri: string;
  batchSucceeded: number;
}

const SAMPLE_LINES = [
  'Welcome to the Tencent Cloud speech recognition demo.',
  'This text comes from the local CI emulator, not from a real speech engine.',
  'Temporal ran the whole job durably, from submit to callback to result.',
];

/**
 * The one-command tour: starts a Temporal dev server, the CI emulator, the callback receiver and a worker; uploads a
 * sample WAV through the real COS SDK; runs `transcribeMedia` on the callback path and a small `transcribeBatch`;
 * prints what happened and where the results are; then stops everything it started.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoOutcome> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  print('Starting a local stack: Temporal dev server, CI emulator, callback receiver, worker…');
  const uiPort = options.ui === false ? undefined : await findFreePort();
  const stack = await startLocalStack({
    temporal: { uiPort },
    services: { emulator: { timings: { queuedMs: 300, runningMs: 1_200 } } },
    nexus: options.nexus === true,
  });
  try {
    print(`  Temporal     ${stack.temporal.address} (namespace ${stack.temporal.namespace})`);
    if (stack.temporal.uiUrl) print(`  Temporal UI  ${stack.temporal.uiUrl}`);
    print(`  CI emulator  ${stack.services.emulator.url} (bucket ${stack.services.bucket}, ${stack.services.region})`);
    print(`  Receiver     ${stack.services.receiver?.url ?? 'off'}`);
    for (const line of stack.nexus ? describeNexus(stack.nexus, 13) : []) print(line);
    const outcome = await tour(stack, print);
    print('');
    print('Done. Everything above ran through the real cos-nodejs-sdk-v5 against the emulator.');
    if (options.keepAlive) await keepRunning(stack, options.keepAlive, print);
    return outcome;
  } finally {
    print('Stopping the local stack…');
    await stack.stop();
  }
}

/**
 * `--keep`: writes the stack's settings to a private temporary file, prints what the CLI needs to drive the stack
 * (its fresh keys, task queue and that file), and waits for `keepAlive`; the file goes with the stack.
 */
async function keepRunning(stack: LocalStack, keepAlive: () => Promise<void>, print: (line: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'transcribe-asr-demo-'));
  try {
    const file = join(dir, 'demo.env');
    const s = writeStackSettings(stack, file);
    print('');
    print(
      `The stack keeps running${stack.temporal.uiUrl ? ` (UI: ${stack.temporal.uiUrl})` : ''}; press Ctrl-C to stop.`,
    );
    print(`  Task queue    ${s.TEMPORAL_TASK_QUEUE}`);
    print(`  Emulator keys TENCENT_SECRET_ID=${s.TENCENT_SECRET_ID} TENCENT_SECRET_KEY=${s.TENCENT_SECRET_KEY}`);
    print(`  Settings file ${file}  (removed when the stack stops)`);
    print('Drive it with the CLI from another terminal in this folder, e.g.:');
    print(`  ${ENV_FILE_VARIABLE}=${shellQuote(file)} npm run cli -- doctor`);
    print(`Your own worker or app: ${sourceCommand(file)}`);
    await keepAlive();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function uploadSample(stack: LocalStack, key: string, lines: readonly string[]): Promise<void> {
  const { objects } = stack.services.clients;
  const where = { Bucket: stack.services.bucket, Region: stack.services.region };
  await objects.put({ ...where, Key: key }, sampleWav(3), 'audio/wav');
  // The emulator takes the "recognised" text from this sidecar object (see docs/emulator.md).
  await objects.put({ ...where, Key: `${key}${TRANSCRIPT_SUFFIX}` }, lines.join('\n'), 'text/plain');
}

async function tour(stack: LocalStack, print: (line: string) => void): Promise<DemoOutcome> {
  const key = 'samples/welcome.wav';
  await uploadSample(stack, key, SAMPLE_LINES);
  print('');
  print(`1. transcribeMedia on ${cosUri({ Bucket: stack.services.bucket, Key: key })} (callback path)`);
  const handle = await startTranscription(
    stack.client,
    { media: { object: key }, recognition: { speechRecognition: { EngineModelType: '16k_en', ChannelNum: 1 } } },
    { taskQueue: stack.taskQueue },
  );
  const result = await watchTranscription(handle, print);
  print(`   completed by ${result.completedBy}; ${result.audioTimeSeconds} s of audio, ${result.segments} segments`);
  print(`   transcript  ${result.resultObject.uri}`);
  print(`   manifest    ${result.manifestObject.uri}`);
  const { objects } = stack.services.clients;
  const text = (
    await objects.get({
      Bucket: result.resultObject.bucket,
      Region: result.resultObject.region,
      Key: result.resultObject.key,
    })
  ).toString('utf8');
  const transcript = renderPlainText(parseResultText(text));
  print('   text:');
  for (const line of transcript.split('\n').filter(Boolean)) print(`     ${line}`);

  print('');
  print('2. transcribeBatch over samples/batch/ (3 files, 2 at a time)');
  for (const n of [1, 2, 3]) await uploadSample(stack, `samples/batch/clip-${n}.wav`, [`Batch clip number ${n}.`]);
  const batch = await startBatch(
    stack.client,
    {
      source: { prefix: 'samples/batch/' },
      recognition: { speechRecognition: { EngineModelType: '16k_en', ChannelNum: 1 } },
      maxInFlight: 2,
    },
    { taskQueue: stack.taskQueue },
  );
  const batchResult = await batch.result();
  print(`   ${batchResult.succeeded}/${batchResult.total} succeeded, ${batchResult.failed} failed`);
  print(`   batch manifest ${batchResult.manifestObject.uri}`);
  return {
    transcriptUri: result.resultObject.uri,
    manifestUri: result.manifestObject.uri,
    transcript,
    batchManifestUri: batchResult.manifestObject.uri,
    batchSucceeded: batchResult.succeeded,
  };
}

/** Prints each phase change from the status query while waiting for the result. */
async function watchTranscription(
  handle: Awaited<ReturnType<typeof startTranscription>>,
  print: (line: string) => void,
) {
  let last = '';
  const describe = (s: TranscriptionStatus) =>
    `${s.phase}${s.jobId ? ` · job ${s.jobId}` : ''}${s.jobState ? ` (${s.jobState})` : ''}`;
  let done = false;
  const result = handle.result().finally(() => (done = true));
  while (!done) {
    const line = describe(await handle.status());
    if (line !== last) print(`   ${(last = line)}`);
    await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  return await result;
}
