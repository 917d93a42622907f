/**
 * `transcribe-asr doctor` against a real dev server, the CI emulator and the receiver: a healthy stack is all green,
 * and each broken one is named on its own line with its fix, the other checks still running.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Client } from '@temporalio/client';
import type { TencentClients } from '../src/tencent/clients';
import { createTencentClients } from '../src/tencent/clients';
import type { CliContext } from '../src/cli/context';
import { loadCliConfig } from '../src/cli/context';
import type { CheckResult, DoctorJson } from '../src/cli/doctor/report';
import { readDoctorSettings } from '../src/cli/doctor/settings';
import { countWorkflowPollers } from '../src/cli/pollers';
import { runWorker } from '../devstack/running-worker';
import { findTemporalCli } from '../devstack/temporal-cli';
import { createTranscriptionWorker } from '../src/worker-setup/transcription-worker';
import { runChild } from './helpers/child';
import { stackEnv as stackEnvOf, useTestStack } from './helpers/stack';
import { waitFor } from './helpers/wait';
import { CLI_MAIN, runCliRecorded, TSX } from './helpers/cli';

describe('transcribe-asr doctor', () => {
  const suite = useTestStack();

  /** The variables a worker of this stack has, plus the receiver's health URL doctor probes. */
  function stackEnv(): Record<string, string> {
    const { stack, temporal } = suite;
    return {
      ...stackEnvOf(stack, temporal),
      CALLBACK_PUBLIC_BASE_URL: stack.receiver!.url,
      CALLBACK_SECRET: stack.secrets.callbackSecret,
      RECEIVER_HEALTH_URL: `${stack.receiver!.adminUrl}/healthz`,
    };
  }

  /** Runs `doctor` in-process through the CLI's dispatch; `with` replaces parts of the healthy stack's context. */
  async function doctor(argv: string[] = [], replace: Partial<CliContext> & { env?: Record<string, string> } = {}) {
    const { env = stackEnv(), ...parts } = replace;
    return runCliRecorded(['doctor', ...argv], {
      taskQueue: suite.stack.taskQueue,
      temporal: () => Promise.resolve(suite.stack.client),
      tencent: () => suite.stack.clients,
      doctorSettings: () => readDoctorSettings(env),
      ...parts,
    });
  }

  async function doctorJson(argv: string[] = [], replace: Parameters<typeof doctor>[1] = {}) {
    const { code, out, err } = await doctor(['--json', ...argv], replace);
    const report = JSON.parse(out) as DoctorJson;
    assert.equal(report.exitCode, code);
    const check = (id: CheckResult['id']): CheckResult => report.checks.find((c) => c.id === id)!;
    return { code, report, check, err };
  }

  function statuses(report: DoctorJson): Record<string, string> {
    return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
  }

  const ALL_PASS = {
    credentials: 'pass',
    bucket: 'pass',
    queue: 'pass',
    callbacks: 'pass',
    temporal: 'pass',
    'search-attributes': 'pass',
    worker: 'pass',
    'quota-worker': 'pass',
  };

  it('is all green on a healthy local stack: the checklist on stdout, exit 0', async () => {
    const { code, out, err } = await doctor();
    assert.equal(code, 0, out);
    assert.equal(err, '');
    const lines = out.split('\n');
    assert.equal(lines.filter((l) => l.startsWith('ok  ')).length, 8, out);
    assert.match(
      out,
      /^ok {4}ASR queue +queue p[0-9a-f]{32} "asr-default" \(found for the bucket\) is Active, MaxConcurrent 10$/m,
    );
    assert.match(out, /^ok {4}callbacks +callback URL http:\/\/127\.0\.0\.1:\d+; receiver healthy/m);
    assert.match(out, /^ok {4}search attributes +default has CiJobId and CiJobState \(Keyword\)$/m);
    assert.match(
      out,
      new RegExp(`^ok {4}worker polling +\\d+ worker\\(s\\) polling task queue ${suite.stack.taskQueue}$`, 'm'),
    );
    assert.match(
      out,
      new RegExp(`^ok {4}CI quota worker +\\d+ worker\\(s\\) polling ${suite.stack.taskQueue}-ci-quota$`, 'm'),
    );
    assert.match(out, /8 ok, 0 warning\(s\), 0 failed, 0 skipped\. Ready for a first job\.\n$/);
  });

  it('prints one JSON object through the real executable, reading the environment, and never a secret', async () => {
    const env = { PATH: process.env.PATH ?? '', ...stackEnv() };
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        TSX,
        [CLI_MAIN, 'doctor', '--json'],
        { env, cwd: mkdtempSync(join(tmpdir(), 'doctor-')) },
        (e, out, errText) => resolve({ code: typeof e?.code === 'number' ? e.code : 0, stdout: out, stderr: errText }),
      );
      child.stdin?.end();
    });
    assert.equal(code, 0, stdout + stderr);
    const report = JSON.parse(stdout) as DoctorJson;
    assert.deepEqual(Object.keys(report), ['ok', 'exitCode', 'summary', 'checks']);
    assert.deepEqual([report.ok, report.exitCode, report.summary], [true, 0, { pass: 8, warn: 0, fail: 0, skip: 0 }]);
    assert.deepEqual(statuses(report), ALL_PASS);
    const queue = report.checks.find((c) => c.id === 'queue')!;
    assert.deepEqual(Object.keys(queue), ['id', 'title', 'status', 'detail', 'data', 'elapsedMs']);
    assert.equal(queue.data?.maxConcurrent, 10);
    assert.equal(queue.data?.state, 'Active');
    assert.equal(report.checks.find((c) => c.id === 'credentials')!.data?.credentials, 'permanent keys');
    const { secretId, secretKey, callbackSecret } = suite.stack.secrets;
    for (const secret of [secretId, secretKey, callbackSecret])
      assert.ok(!stdout.includes(secret), 'no secret printed');
  });

  it('names an unbound bucket with its fix and skips the queue because of it; Temporal is still checked', async () => {
    await suite.stack.clients.setup.closeBucket();
    try {
      const { code, report, check } = await doctorJson();
      assert.equal(code, 1);
      assert.equal(check('bucket').status, 'fail');
      assert.match(check('bucket').detail, /media-1250000000 \(ap-guangzhou\) is not bound to speech recognition/);
      assert.match(check('bucket').fix!, /^npm run cli -- bucket bind/);
      assert.deepEqual(check('queue'), {
        id: 'queue',
        title: 'ASR queue',
        status: 'skip',
        detail: 'skipped: because "bucket bound to ASR" failed',
        elapsedMs: 0,
      });
      assert.deepEqual(statuses(report), { ...ALL_PASS, bucket: 'fail', queue: 'skip' });
    } finally {
      await suite.stack.clients.setup.openBucket();
    }
  });

  it('names a paused queue with the command that resumes it', async () => {
    const { setup } = suite.stack.clients;
    const queueId = await setup.defaultQueueId();
    await setup.updateQueue(queueId, { state: 'Paused' });
    try {
      const { code, out } = await doctor();
      assert.equal(code, 1);
      assert.match(
        out,
        new RegExp(`^FAIL  ASR queue +queue ${queueId} "asr-default" \\(found for the bucket\\) is Paused`, 'm'),
      );
      assert.match(out, new RegExp(`^ {6}fix: npm run cli -- queues resume ${queueId}$`, 'm'));
    } finally {
      await setup.updateQueue(queueId, { state: 'Active' });
    }
    // A configured queue CI does not know is named as such.
    const { check } = await doctorJson(['--queue', 'p0000000000000000000000000000dead']);
    assert.match(check('queue').detail, /queue p0+dead \(CI_QUEUE_ID\) does not exist in media-1250000000/);
    assert.match(check('queue').fix!, /npm run cli -- queues list/);
  });

  it('names a namespace without the search attributes with the exact create command', async () => {
    const namespace = `doctor-bare-${randomUUID()}`;
    const cli = findTemporalCli();
    assert.ok(cli, 'the temporal CLI is installed');
    const args = ['operator', 'namespace', 'create', '--namespace', namespace, '--address', suite.temporal.env.address];
    const created = await runChild(cli, args, { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' });
    assert.equal(created.status, 0, created.output);
    const client = new Client({ connection: suite.temporal.env.connection, namespace });
    await waitFor('the new namespace', async () => {
      const described = await client.workflowService.describeNamespace({ namespace }).catch(() => undefined);
      return described ? true : undefined;
    });
    const { code, check } = await doctorJson([], { temporal: () => Promise.resolve(client) });
    assert.equal(code, 1);
    assert.equal(check('temporal').status, 'pass');
    assert.equal(check('search-attributes').status, 'fail');
    assert.match(check('search-attributes').detail, /lacks CiJobId \(Keyword\), CiJobState \(Keyword\)/);
    assert.equal(
      check('search-attributes').fix!.split('\n')[0],
      `temporal operator search-attribute create --namespace ${namespace} --name CiJobId --name CiJobState --type Keyword`,
    );
    // Nobody polls the stack's task queue in that namespace either.
    assert.equal(check('worker').status, 'fail');
  });

  it('names a task queue no worker polls, with how to start one', async () => {
    const taskQueue = `doctor-idle-${randomUUID()}`;
    const { code, out } = await doctor([], { taskQueue });
    assert.equal(code, 1);
    assert.match(out, new RegExp(`^FAIL  worker polling +no worker is polling task queue ${taskQueue}`, 'm'));
    assert.match(out, new RegExp(`fix: Start one: .*TEMPORAL_TASK_QUEUE=${taskQueue}`));
    assert.match(
      out,
      new RegExp(`^FAIL  CI quota worker +no worker is polling the CI quota queue ${taskQueue}-ci-quota`, 'm'),
    );
    assert.match(out, /6 ok, 0 warning\(s\), 2 failed, 0 skipped/);
  });

  it('fails when workflows are polled but nothing polls the CI quota queue, naming the plugin as the fix', async () => {
    const taskQueue = `doctor-no-quota-${randomUUID()}`;
    // A worker of the workflows and activities alone, without the quota worker the plugin adds: batches would hang.
    const worker = runWorker(
      await createTranscriptionWorker({
        connection: suite.temporal.env.nativeConnection,
        namespace: suite.temporal.env.namespace,
        taskQueue,
        deps: suite.stack.deps,
        workflowBundle: suite.bundle,
      }),
    );
    try {
      await waitFor('the worker polling', async () =>
        (await countWorkflowPollers(suite.stack.client, taskQueue)) > 0 ? true : undefined,
      );
      const { code, out } = await doctor([], { taskQueue });
      assert.equal(code, 1, out);
      assert.match(out, /^ok {4}worker polling /m);
      assert.match(
        out,
        new RegExp(
          `^FAIL  CI quota worker +no worker is polling the CI quota queue ${taskQueue}-ci-quota: batches`,
          'm',
        ),
      );
      assert.match(out, /^ {6}fix: Run the worker with TencentCiAsrPlugin, which runs the quota worker/m);
      assert.match(out, /7 ok, 0 warning\(s\), 1 failed, 0 skipped\. Fix the failed lines/);
    } finally {
      await worker.stop();
    }
  });

  it('names a refused signature and skips what needs the keys, while the Temporal checks still run', async () => {
    const { stack } = suite;
    const forged = createTencentClients({
      secretId: stack.secrets.secretId,
      secretKey: 'not-the-key',
      bucket: stack.bucket,
      region: stack.region,
      endpoint: stack.emulator.url,
    });
    // CI hosts answer CI's InvalidAuthorization, COS hosts SignatureDoesNotMatch (docs/emulator.md, row 20).
    const refusals = () => {
      const r = stack.emulator.counters().authRejections;
      return (r.InvalidAuthorization ?? 0) + (r.SignatureDoesNotMatch ?? 0);
    };
    const refusedBefore = refusals();
    const { code, report, check } = await doctorJson([], { tencent: () => forged });
    assert.equal(code, 1);
    assert.match(
      check('credentials').detail,
      /CI refused the signature: the SecretKey does not belong to the SecretId/,
    );
    assert.match(check('credentials').fix!, /TENCENT_SECRET_KEY/);
    assert.deepEqual(statuses(report), { ...ALL_PASS, credentials: 'fail', bucket: 'skip', queue: 'skip' });
    assert.match(check('bucket').detail, /because "Tencent credentials" failed/);
    const refusedAfter = refusals();
    assert.equal(refusedAfter - refusedBefore, 1, 'one signed request, refused by the emulator');
  });

  it('exits 2 when the Tencent settings are missing, naming every variable', async () => {
    const missing = (): TencentClients => {
      loadCliConfig({}).tencent();
      throw new Error('unreachable: the settings above are incomplete');
    };
    const { code, check } = await doctorJson([], { tencent: missing });
    assert.equal(code, 2);
    assert.equal(check('credentials').config, true);
    assert.match(check('credentials').detail, /TENCENT_SECRET_ID is required.*CI_BUCKET is required/);
    assert.equal(check('temporal').status, 'pass');
    // A malformed doctor variable is a configuration failure too; the flag that replaces it clears it.
    const env = { ...stackEnv(), RECEIVER_HEALTH_URL: 'admin:9465' };
    const bad = await doctorJson([], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.check('callbacks').detail, /RECEIVER_HEALTH_URL must be an http\(s\) URL/);
    const health = `${suite.stack.receiver!.adminUrl}/healthz`;
    assert.equal((await doctorJson(['--receiver-health', health], { env })).code, 0);
  });

  it('bounds each check in time: a receiver that never answers fails its line only', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const { code, report, check } = await doctorJson([
        '--timeout',
        '1',
        '--receiver-health',
        `http://127.0.0.1:${port}/healthz`,
      ]);
      assert.equal(code, 1);
      assert.deepEqual(check('callbacks').detail, 'no answer within 1 s');
      assert.deepEqual(statuses(report), { ...ALL_PASS, callbacks: 'fail' });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('tells a receiver that cannot reach Temporal from one that is down', async () => {
    const unhealthy = createHttpServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"temporal":"unavailable"}');
    });
    await new Promise<void>((resolve) => unhealthy.listen(0, '127.0.0.1', resolve));
    const { port } = unhealthy.address() as { port: number };
    try {
      const { check } = await doctorJson(['--receiver-health', `http://127.0.0.1:${port}/healthz`]);
      assert.equal(check('callbacks').status, 'fail');
      assert.match(
        check('callbacks').detail,
        /the receiver answers but cannot reach Temporal \(temporal: unavailable\)/,
      );
    } finally {
      await new Promise((resolve) => unhealthy.close(resolve));
    }
    const { check } = await doctorJson(['--receiver-health', `http://127.0.0.1:${port}/healthz`]);
    assert.match(
      check('callbacks').detail,
      /the receiver at http:\/\/127\.0\.0\.1:\d+\/healthz does not answer \(ECONNREFUSED\)/,
    );
    assert.match(check('callbacks').fix!, /Start the receiver/);
  });

  it('warns, and still exits 0, when real CI would be handed a local http callback URL', async () => {
    const env = { ...stackEnv() };
    delete (env as Partial<typeof env>).CI_ENDPOINT;
    const { code, check } = await doctorJson([], { env });
    assert.equal(code, 0);
    assert.equal(check('callbacks').status, 'warn');
    assert.match(check('callbacks').detail, /127\.0\.0\.1:\d+ is not reachable from Tencent Cloud.*it is http/);
    assert.match(check('callbacks').fix!, /public https URL/);
  });
});
