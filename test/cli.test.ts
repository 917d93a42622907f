import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import type { TranscriptionResult } from '../src/contract';
import { parseSrt } from '../src/ci/result';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { noFaults } from '../src/emulator';
import { stackEnv, TEST_BUCKET, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';
import { CLI_MAIN, runCliRecorded, TSX } from './helpers/cli';

describe('transcribe-asr CLI against the dev server and the CI emulator', () => {
  const suite = useTestStack();
  const jobIds: string[] = [];

  /** Runs one command line in-process with the stack's clients; stderr is a terminal when `tty` is set. */
  async function cli(argv: string[], tty = false): Promise<{ code: number; out: string; err: string }> {
    const ctx = {
      taskQueue: suite.stack.taskQueue,
      temporal: () => Promise.resolve(suite.stack.client),
      tencent: () => suite.stack.clients,
      refreshMs: 50,
    };
    return runCliRecorded(argv, ctx, tty);
  }

  function seedMedia(sentences: string[], seconds = 3): string {
    const key = `cli/${randomUUID()}.wav`;
    suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(seconds));
    suite.stack.emulator.putObject(TEST_BUCKET, `${key}${TRANSCRIPT_SUFFIX}`, sentences.join('\n'));
    return key;
  }

  it('transcribe --wait --format srt prints exactly the SRT on stdout, the summary and status lines on stderr', async () => {
    const key = seedMedia(['hello world', 'second line']);
    const { code, out, err } = await cli(['transcribe', key, '--wait', '--format', 'srt']);
    assert.equal(code, 0, err);
    assert.match(err, new RegExp(`^Transcript +cos://${TEST_BUCKET}/asr/${key}\\.txt$`, 'm'));
    assert.match(err, new RegExp(`^Manifest +cos://${TEST_BUCKET}/asr/${key}\\.txt\\.manifest\\.json$`, 'm'));
    assert.match(err, /^Audio +3 s, 2 segments$/m);
    assert.match(
      out,
      /^1\n00:00:00,000 --> 00:00:0\d,\d{3}\nhello world\n\n2\n00:00:0\d,\d{3} --> 00:00:03,000\nsecond line\n$/,
    );
    assert.deepEqual(
      parseSrt(out).map((s) => s.text),
      ['hello world', 'second line'],
    );
    assert.match(err, /^Started transcribe-[0-9a-f-]+ on task queue /);
    // Plain lines (not a terminal): one per change, the last of them the completed status.
    assert.doesNotMatch(err, /\r/);
    const last = err.split('\n').find((l) => l.startsWith('phase=completed')) ?? '';
    assert.match(last, /^phase=completed job=s[0-9a-f]{32} state=Success polls=\d+ callbacks=\d+ completedBy=\w+$/);
    jobIds.push(/job=(s[0-9a-f]{32})/.exec(last)![1]!);
  });

  it('transcribe --json prints one JSON document with the result and the rendered transcript', async () => {
    const key = seedMedia(['json output']);
    const { code, out, err } = await cli([
      'transcribe',
      key,
      '--format',
      'vtt',
      '--json',
      '--workflow-id',
      `cli-${randomUUID()}`,
    ]);
    assert.equal(code, 0, err);
    const body = JSON.parse(out) as { workflowId: string; result: TranscriptionResult; transcript: string };
    assert.match(body.workflowId, /^cli-/);
    assert.equal(body.result.resultObject.uri, `cos://${TEST_BUCKET}/asr/${key}.txt`);
    assert.match(body.transcript, /^WEBVTT\n\n00:00:00\.000 --> 00:00:03\.000\njson output\n$/);
    assert.equal(err.split('\n')[0]?.startsWith('Started '), true);
    jobIds.push(body.result.jobId);
  });

  it('redraws the status line in place on a terminal', async () => {
    const key = seedMedia(['tty']);
    const { code, err } = await cli(['transcribe', key, '--wait', '--format', 'text'], true);
    assert.equal(code, 0, err);
    const clearLine = '\r\u001b[2K';
    const lastLine = err.slice(err.lastIndexOf(clearLine));
    // The live line ends on a fresh line; the summary follows it (stdout holds only the transcript).
    assert.match(lastLine.slice(clearLine.length), /^phase=completed [^\n\r]*\nTranscript +cos:/);
  });

  it('status reports a finished workflow with its live status and result', async () => {
    const key = seedMedia(['status please']);
    const started = await cli(['transcribe', key, '--json']);
    assert.equal(started.code, 0, started.err);
    const { workflowId } = JSON.parse(started.out) as { workflowId: string };
    await suite.stack.client.workflow.getHandle(workflowId).result();

    const json = await cli(['status', workflowId, '--json']);
    assert.equal(json.code, 0, json.err);
    const report = JSON.parse(json.out) as {
      type: string;
      status: string;
      live: { phase: string; jobId: string };
      result: TranscriptionResult;
    };
    assert.equal(report.type, 'transcribeMedia');
    assert.equal(report.status, 'COMPLETED');
    assert.equal(report.live.phase, 'completed');
    assert.equal(report.result.resultObject.uri, `cos://${TEST_BUCKET}/asr/${key}.txt`);

    const text = await cli(['status', workflowId]);
    assert.equal(text.code, 0);
    assert.match(text.out, /^Status +COMPLETED$/m);
    assert.match(text.out, /^Live +phase=completed job=s[0-9a-f]{32} state=Success/m);
    assert.match(text.out, new RegExp(`^Result +cos://${TEST_BUCKET}/asr/${key}\\.txt$`, 'm'));

    const missing = await cli(['status', `nope-${randomUUID()}`]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no workflow with id 'nope-/);
  });

  it('transcribe exits 1 with the failure chain when the CI job fails', async () => {
    const key = seedMedia(['doomed']);
    suite.stack.emulator.setFaults({
      failJobs: [{ code: 'AudioDecodeFailed', message: 'cannot decode', inputPattern: key }],
    });
    try {
      const { code, err } = await cli(['transcribe', key, '--wait']);
      assert.equal(code, 1);
      assert.match(err, /^error: WorkflowFailedError: /m);
      assert.match(err, /caused by: ApplicationFailure \[CiJobFailed\]: .*AudioDecodeFailed/);
      assert.match(err, /phase=failed/);
    } finally {
      suite.stack.emulator.setFaults(noFaults());
    }
  });

  it('jobs list shows one page or walks every page; jobs get shows jobs and flags unknown ids', async () => {
    assert.ok(jobIds.length >= 2, 'earlier tests created jobs');
    const page = await cli(['jobs', 'list', '--json', '--size', '100']);
    assert.equal(page.code, 0, page.err);
    const listed = (JSON.parse(page.out) as { jobs: { JobId: string; State: string }[] }).jobs;
    for (const id of jobIds)
      assert.ok(
        listed.some((j) => j.JobId === id && j.State === 'Success'),
        id,
      );

    const all = await cli(['jobs', 'list', '--all', '--size', '1', '--states', 'Success', '--order', 'Asc', '--json']);
    assert.equal(all.code, 0, all.err);
    const walked = (JSON.parse(all.out) as { jobs: { JobId: string }[] }).jobs.map((j) => j.JobId);
    assert.deepEqual(new Set(walked), new Set(listed.filter((j) => j.State === 'Success').map((j) => j.JobId)));
    assert.equal(new Set(walked).size, walked.length, 'no job twice across pages');

    const table = await cli(['jobs', 'list', '--size', '1']);
    assert.match(table.out, /^JOB ID +STATE +CREATED +CODE +INPUT\ns[0-9a-f]{32} +\w+ +\d{4}-/);
    assert.match(table.out, /Next page: npm run cli -- jobs list --next-token \S+/);

    const unknown = `s${'0'.repeat(32)}`;
    const get = await cli(['jobs', 'get', jobIds[0]!, unknown]);
    assert.equal(get.code, 1);
    assert.match(get.out, new RegExp(`^Job +${jobIds[0]}$`, 'm'));
    assert.match(get.out, /^State +Success$/m);
    assert.match(get.out, /hello world\nsecond line\n$/);
    assert.equal(get.err, `error: no CI job with id '${unknown}'\n`);

    const json = await cli(['jobs', 'get', `${jobIds[1]},${unknown}`, '--json']);
    const body = JSON.parse(json.out) as { jobs: { JobId: string }[]; nonExistentJobIds: string[] };
    assert.deepEqual(
      body.jobs.map((j) => j.JobId),
      [jobIds[1]],
    );
    assert.deepEqual(body.nonExistentJobIds, [unknown]);
  });

  it('batch --wait draws progress, prints the manifest location and each failed item with its reason', async () => {
    const folder = `cli-batch/${randomUUID()}`;
    for (const n of [1, 2, 3]) suite.stack.emulator.putObject(TEST_BUCKET, `${folder}/clip-${n}.wav`, silentWav(1));
    const { code, out, err } = await cli(['batch', `${folder}/`, '--max-in-flight', '2', '--wait']);
    assert.equal(code, 0, err);
    assert.match(out, /^Items +3\nSucceeded +3\nFailed +0\nManifest +cos:\/\/\S+\.json\n$/);
    // The last line: done, with the rate once two items have ended.
    assert.match(err, /^\[#{20}\] 3\/3 ok=3 failed=0 running=0( [\d.]+\/min)?$/m);

    const doomed = `${folder}/clip-2.wav`;
    suite.stack.emulator.setFaults({
      failJobs: [{ code: 'AudioDecodeFailed', message: 'cannot decode', inputPattern: doomed }],
    });
    try {
      const batchId = `cli-batch-${randomUUID()}`;
      const keys = `${folder}/clip-1.wav,${doomed}`;
      const text = await cli(['batch', '--keys', keys, '--wait', '--workflow-id', batchId]);
      assert.equal(text.code, 1, 'a failed item makes the exit code 1');
      assert.match(text.out, /^Failed +1$/m);
      assert.match(text.out, new RegExp(`^Failed items:\\n  ${doomed}  CiJobFailed: .*AudioDecodeFailed.*$`, 'm'));

      const status = await cli(['status', batchId]);
      assert.equal(status.code, 0, status.err);
      assert.match(status.out, new RegExp(`^Failed items:\\n  ${doomed}  CiJobFailed: .*AudioDecodeFailed.*$`, 'm'));

      const json = await cli(['batch', '--keys', keys, '--wait', '--json']);
      assert.equal(json.code, 1);
      const body = JSON.parse(json.out) as {
        result: { total: number; succeeded: number; failed: number };
        failedItems: { key: string; error: { type: string; message: string } }[];
      };
      assert.deepEqual([body.result.total, body.result.succeeded, body.result.failed], [2, 1, 1]);
      assert.deepEqual(
        body.failedItems.map((i) => [i.key, i.error.type]),
        [[doomed, 'CiJobFailed']],
      );
      assert.match(body.failedItems[0]!.error.message, /AudioDecodeFailed/);
    } finally {
      suite.stack.emulator.setFaults(noFaults());
    }
  });

  /** Runs the real executable with the stack's settings in its environment. */
  function runBinary(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
    return new Promise((resolve) => {
      execFile(
        TSX,
        [CLI_MAIN, ...args],
        // A scratch folder as the working directory: no .dev/cli.env of a developer's `npm run dev` is read.
        { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000, cwd: tmpdir() },
        (error, out, err) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, out, err });
        },
      );
    });
  }

  it('runs as a real executable: --help, a waited transcription, and a config error without secrets', async () => {
    const help = await runBinary(['--help'], {});
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: npm run cli -- <command>/);

    const key = seedMedia(['from the binary']);
    const env = stackEnv(suite.stack, suite.temporal);
    const run = await runBinary(['transcribe', key, '--wait', '--format', 'text'], env);
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, new RegExp(`^Transcript +cos://${TEST_BUCKET}/asr/${key}\\.txt$`, 'm'));
    assert.equal(run.out, 'from the binary\n');
    assert.match(run.err, /phase=completed/);

    const usage = await runBinary(['jobs', 'list', '--sice', 'x'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /Did you mean '--since'\?/);

    const { TENCENT_SECRET_ID: _id, ...withoutId } = env;
    const broken = await runBinary(['jobs', 'list'], withoutId);
    assert.equal(broken.code, 2, 'a configuration error exits 2, like a usage error');
    assert.match(broken.err, /TENCENT_SECRET_ID is required/);
    for (const secret of [suite.stack.secrets.secretId, suite.stack.secrets.secretKey]) {
      assert.ok(!broken.err.includes(secret) && !run.err.includes(secret) && !run.out.includes(secret));
    }
  });

  it('Ctrl-C stops waiting with exit code 130 and leaves the workflow running', async () => {
    const key = seedMedia(['interrupted']);
    const workflowId = `cli-sigint-${randomUUID()}`;
    const env = {
      PATH: process.env.PATH ?? '',
      TEMPORAL_ADDRESS: suite.temporal.env.address,
      TEMPORAL_NAMESPACE: suite.temporal.env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: suite.stack.taskQueue,
    };
    // Without callbacks the first poll is 10 s away: the command is surely still waiting when interrupted.
    const child = spawn(TSX, [CLI_MAIN, 'transcribe', key, '--wait', '--no-callback', '--workflow-id', workflowId], {
      env,
      cwd: tmpdir(),
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await waitFor('the waiting status line', () => (/phase=waiting/.test(err) ? true : undefined));
      child.kill('SIGINT');
      assert.equal(await exited, 130);
      assert.match(err, /Stopped waiting\. Started workflows keep running/);
      const handle = suite.stack.client.workflow.getHandle(workflowId);
      assert.equal((await handle.describe()).status.name, 'RUNNING');
      await handle.cancel();
    } finally {
      child.kill('SIGKILL');
    }
  });
});
