import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { TencentClients } from '../src/tencent/clients';
import { loadCliConfig } from '../src/cli/context';
import { COMMANDS } from '../src/cli/help';
import { findFreePort } from '../devstack/free-port';
import { startTranscription } from '../src/client/transcription';
import { runWorker } from '../devstack/running-worker';
import { silentWav, TRANSCRIPT_SUFFIX } from '../src/emulator';
import { CI_JOB_ID, CI_JOB_STATE } from '../src/shared/search-attributes';
import { createQuotaWorker } from '../src/plugin/quota-worker';
import { createTranscriptionWorker } from '../src/worker-setup/transcription-worker';
import { runChild } from './helpers/child';
import { stackEnv, TEST_BUCKET, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';
import { CLI_MAIN, runCliRecorded, TSX } from './helpers/cli';

/** The escape character that starts terminal control sequences. */
const ESC = String.fromCharCode(27);

/**
 * What a person sees on a terminal after `raw` was written to it: `\r` returns to the line start, `ESC[2K` clears the
 * line, `\n` moves to the next line (enough of a terminal for the CLI's live lines).
 */
function screen(raw: string): string[] {
  const lines: string[] = [];
  let line = '';
  let col = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw.startsWith('\u001b[2K', i)) {
      line = '';
      i += 3;
    } else if (raw[i] === '\r') col = 0;
    else if (raw[i] === '\n') {
      lines.push(line);
      line = '';
      col = 0;
    } else {
      line = line.slice(0, col) + raw[i]! + line.slice(col + 1);
      col += 1;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

describe('transcribe-asr in the first hour: checks first, never hangs, clean terminals', () => {
  const suite = useTestStack();

  /** Runs a command in-process; `tencent` replaces the stack's clients (e.g. with missing settings). */
  async function cli(argv: string[], tencent?: () => TencentClients) {
    return runCliRecorded(argv, {
      taskQueue: suite.stack.taskQueue,
      temporal: () => Promise.resolve(suite.stack.client),
      tencent: tencent ?? (() => suite.stack.clients),
      refreshMs: 50,
    });
  }

  function seedMedia(text = 'first hour'): string {
    const key = `first-hour/${randomUUID()}.wav`;
    suite.stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
    suite.stack.emulator.putObject(TEST_BUCKET, `${key}${TRANSCRIPT_SUFFIX}`, text);
    return key;
  }

  /** The real executable's environment for this stack: no settings file (a scratch cwd), only these variables. */
  /** A worker of this package's workflows and activities on its own task queue (the tests' stack polls another). */
  async function workerOn(taskQueue: string): Promise<ReturnType<typeof runWorker>> {
    return runWorker(
      await createTranscriptionWorker({
        connection: suite.temporal.env.nativeConnection,
        namespace: suite.temporal.env.namespace,
        taskQueue,
        deps: suite.stack.deps,
        workflowBundle: suite.bundle,
      }),
      // Lone runs submit on the CI quota queue: its worker serves them, as the plugin's does.
      await createQuotaWorker({
        connection: suite.temporal.env.nativeConnection,
        namespace: suite.temporal.env.namespace,
        taskQueue,
        deps: suite.stack.deps,
      }),
    );
  }

  function binaryEnv(taskQueue = suite.stack.taskQueue): Record<string, string> {
    return { PATH: process.env.PATH ?? '', ...stackEnv(suite.stack, suite.temporal, taskQueue) };
  }

  function spawnCli(args: string[], env: Record<string, string>): ChildProcessWithoutNullStreams {
    return spawn(TSX, [CLI_MAIN, ...args], { env, cwd: mkdtempSync(join(tmpdir(), 'cli-')) });
  }

  it('refuses what it can check before starting with exit code 2, and starts no workflow and no CI job', async () => {
    const key = seedMedia();
    const noTencent = (): TencentClients => {
      loadCliConfig({}).tencent();
      throw new Error('unreachable: the settings above are incomplete');
    };
    const cases: { argv: string[]; err: RegExp; tencent?: () => TencentClients }[] = [
      { argv: ['transcribe', key, '--bucket', 'mybucket'], err: /bucket 'mybucket' must look like name-appid/ },
      { argv: ['transcribe', 'cos://notvalid/a.wav'], err: /bucket 'notvalid' must look like name-appid/ },
      { argv: ['transcribe', `cos://${TEST_BUCKET}`], err: /is not a COS URI: use cos:\/\/<name-appid>\/<key>/ },
      { argv: ['transcribe', key, '--region', 'Guangzhou'], err: /--region must look like ap-guangzhou/ },
      {
        argv: ['transcribe', 'first-hour/missing.wav', '--wait'],
        err: new RegExp(`No such object: cos://${TEST_BUCKET}/first-hour/missing\\.wav\\. Upload it first`),
      },
      { argv: ['batch', '--keys', `${key},first-hour/gone.wav`], err: /No such object: .*first-hour\/gone\.wav/ },
      {
        argv: ['transcribe', key, '--format', 'srt'],
        err: /Invalid Tencent Cloud \(--format reads the transcript from COS\) configuration:\n {2}- TENCENT_SECRET_ID/,
        tencent: noTencent,
      },
    ];
    const before = suite.stack.emulator.counters();
    const ids: string[] = [];
    for (const { argv, err, tencent } of cases) {
      const workflowId = `refused-${randomUUID()}`;
      ids.push(workflowId);
      const run = await cli([...argv, '--workflow-id', workflowId], tencent);
      assert.equal(run.code, 2, `${argv.join(' ')}: ${run.err}`);
      assert.match(run.err, err);
      assert.equal(run.err.split('\n').filter((l) => l.startsWith('error:')).length, 1, 'one error line');
      assert.equal(run.out, '');
    }
    // Counted at the source: the server knows none of the ids, visibility lists none, the emulator made no job.
    for (const workflowId of ids) {
      await assert.rejects(suite.stack.client.workflow.getHandle(workflowId).describe(), WorkflowNotFoundError);
    }
    const listed = await suite.stack.client.workflow.count(`WorkflowId IN (${ids.map((id) => `'${id}'`).join(', ')})`);
    assert.equal(listed.count, 0);
    const after = suite.stack.emulator.counters();
    assert.equal(after.jobsCreated, before.jobsCreated);
    assert.equal(after.requests['POST /asr_jobs'] ?? 0, before.requests['POST /asr_jobs'] ?? 0);
  });

  it('--wait warns while no worker polls the task queue, keeps checking, and goes on once one does', async () => {
    const key = seedMedia('late worker');
    const taskQueue = `first-hour-idle-${randomUUID()}`;
    const workflowId = `late-worker-${randomUUID()}`;
    const child = spawnCli(['transcribe', key, '--wait', '--workflow-id', workflowId], binaryEnv(taskQueue));
    let err = '';
    let out = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    let worker: ReturnType<typeof runWorker> | undefined;
    try {
      await waitFor('the no-worker warning', () =>
        err.includes(`warning: no worker is polling task queue '${taskQueue}'`) ? true : undefined,
      );
      assert.match(err, /Still checking every 5 s\./);
      worker = await workerOn(taskQueue);
      assert.equal(await exited, 0, err);
      assert.equal(err.split('warning: no worker').length, 2, 'warned once, not at every check');
      assert.match(out, /^Transcript +cos:\/\//m);
    } finally {
      child.kill('SIGKILL');
      await worker?.stop();
    }
  });

  it('status answers with exit code 0 and what the server recorded when no worker answers the query', async () => {
    const key = seedMedia('no worker');
    const taskQueue = `first-hour-gone-${randomUUID()}`;
    const worker = await workerOn(taskQueue);
    // Poll-only with the first poll 10 s away: the run waits on its CI job, with the job id recorded.
    const handle = await startTranscription(
      suite.stack.client,
      {
        media: { object: key },
        recognition: { speechRecognition: { EngineModelType: '16k_en', ChannelNum: 1 } },
        callback: { enabled: false },
      },
      { taskQueue },
    );
    try {
      const jobId = await waitFor('the CiJobId search attribute', async () => {
        const description = await handle.workflow.describe();
        return description.typedSearchAttributes.get(CI_JOB_ID);
      });
      await worker.stop();
      // What the server recorded last (the job may have started before the worker stopped).
      const recordedState = (await handle.workflow.describe()).typedSearchAttributes.get(CI_JOB_STATE);

      const json = await runChild(TSX, [CLI_MAIN, 'status', handle.workflowId, '--json'], binaryEnv(taskQueue));
      assert.equal(json.status, 0, json.output);
      const report = JSON.parse(json.output) as {
        status: string;
        live?: unknown;
        liveUnavailable: string;
        searchAttributes: Record<string, unknown>;
      };
      assert.equal(report.status, 'RUNNING');
      assert.equal(report.live, undefined);
      assert.match(
        report.liveUnavailable,
        /^no worker answered the query within 5 s; showing what the server recorded$/,
      );
      assert.equal(report.searchAttributes.CiJobId, jobId);
      assert.equal(report.searchAttributes.CiJobState, recordedState);

      const text = await runChild(TSX, [CLI_MAIN, 'status', handle.workflowId], binaryEnv(taskQueue));
      assert.equal(text.status, 0, text.output);
      assert.match(text.output, /^Live +no worker answered the query within 5 s/m);
      assert.match(text.output, new RegExp(`^CiJobId +${jobId}$`, 'm'));
      assert.doesNotMatch(text.output, /\n\s+at /, 'no stack trace');
    } finally {
      await handle.workflow.terminate('test done');
    }
  });

  it('draws the batch progress bar in place on a real terminal (script(1) pseudo-terminal)', async () => {
    const folder = `first-hour-pty/${randomUUID()}`;
    for (const n of [1, 2, 3]) suite.stack.emulator.putObject(TEST_BUCKET, `${folder}/clip-${n}.wav`, silentWav(1));
    const command = [TSX, CLI_MAIN, 'batch', `${folder}/`, '--max-in-flight', '1', '--wait'].join(' ');
    const run = await runChild('script', ['-qfec', command, '/dev/null'], { ...binaryEnv(), TERM: 'xterm' });
    assert.equal(run.status, 0, run.output);
    assert.match(run.output, new RegExp(`\r${ESC}\\[2K\\[[#-]{20}\\] \\d/3`), 'the bar is redrawn in place');
    const seen = screen(run.output.replace(/\r\n/g, '\n'));
    const bars = seen.filter((line) => line.startsWith('['));
    assert.equal(bars.length, 1, `one bar line remains on screen: ${JSON.stringify(bars)}`);
    // The rate appears once a completion is known; nothing is left to estimate at 3/3.
    assert.match(bars[0]!, /^\[#{20}\] 3\/3 ok=3 failed=0 running=0( \d+(\.\d+)?\/min)?$/);
    const at = seen.indexOf(bars[0]!);
    assert.match(seen[at - 1] ?? '', /^Started transcribe-batch-\S+ on task queue /);
    assert.deepEqual(seen.slice(at + 1, at + 4), ['Items      3', 'Succeeded  3', 'Failed     0']);
  });

  it('names the unreachable emulator and the fix in one line, never a JSON dump (real executable)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-'));
    writeFileSync(join(cwd, 'a.wav'), silentWav(1));
    const endpoint = `http://127.0.0.1:${await findFreePort()}`;
    for (const args of [
      ['upload', 'a.wav'],
      ['jobs', 'list'],
    ]) {
      const run = await runChild(TSX, [CLI_MAIN, ...args], { ...binaryEnv(), CI_ENDPOINT: endpoint }, 60_000, cwd);
      assert.equal(run.status, 3, run.output);
      assert.deepEqual(run.output.trimEnd().split('\n').length, 1, `one line: ${run.output}`);
      assert.match(run.output, new RegExp(`^error: Cannot reach ${endpoint} \\(ECONNREFUSED\\) for `));
      assert.match(run.output, /Start the local stack with `npm run dev`.*check CI_ENDPOINT and the network\.\n$/);
      assert.doesNotMatch(run.output, /[{}]/, 'no JSON');
    }
  });

  it('says what happened for a batch without arguments and an upload of a directory', async () => {
    const batch = await cli(['batch']);
    assert.equal(batch.code, 2);
    assert.match(batch.err, /^error: 'batch' needs what to transcribe: a <prefix> .* or --keys <k1,k2,...>\.\n/);
    const folder = mkdtempSync(join(tmpdir(), 'cli-dir-'));
    const upload = await cli(['upload', folder]);
    assert.equal(upload.code, 2);
    assert.match(upload.err, new RegExp(`^error: ${folder} is a directory; upload takes one file`));
  });

  it('answers -h on every command and subcommand with its help', async () => {
    for (const spec of COMMANDS) {
      const run = await cli([...spec.path, '-h']);
      assert.equal(run.code, 0, `${spec.path.join(' ')} -h: ${run.err}`);
      assert.match(run.out, new RegExp(`^Usage: npm run cli -- ${spec.path.join(' ')}`));
    }
    for (const group of new Set(COMMANDS.filter((c) => c.path.length > 1).map((c) => c.path[0]!))) {
      const run = await cli([group, '-h']);
      assert.equal(run.code, 0, run.err);
      assert.match(run.out, new RegExp(`^Usage: npm run cli -- ${group} <command>`));
    }
  });

  it('prints a Next: hint that runs as printed from a clone: npm run cli --, a key with spaces quoted', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-'));
    mkdirSync(join(cwd, 'in'));
    writeFileSync(join(cwd, 'in', 'a.wav'), silentWav(1));
    const key = `first-hour/${randomUUID()} it's mine.wav`;
    const upload = await runChild(TSX, [CLI_MAIN, 'upload', 'in/a.wav', key], binaryEnv(), 60_000, cwd);
    assert.equal(upload.status, 0, upload.output);
    const next = /^Next: (.+)$/m.exec(upload.output)?.[1];
    assert.match(next ?? '', /^npm run cli -- transcribe '.+' --wait$/);
    // Run as a shell would: the quoted key arrives as one argument, and the object it names exists.
    const words = await runChild('sh', ['-c', `printf '%s\\n' ${next!.replace('npm run cli -- ', '')}`], {});
    assert.deepEqual(words.output.trimEnd().split('\n'), ['transcribe', key, '--wait']);
  });
});
