import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidWorkflowInputError, validateTranscriptionInput } from '../src/client';
import type { CliContext, CliStream } from '../src/cli/context';
import { createCliContext, loadCliConfig } from '../src/cli/context';
import { UsageError } from '../src/cli/errors';
import { formatProgress, formatStatus, formatTable, LiveLine } from '../src/cli/output';
import { COMMANDS } from '../src/cli/help';
import type { CliCommand } from '../src/cli/run';
import { parseCommandLine, runCli } from '../src/cli/run';

function parsed<K extends CliCommand['kind']>(argv: string[], kind: K): Extract<CliCommand, { kind: K }> {
  const cmd = parseCommandLine(argv);
  assert.equal(cmd.kind, kind);
  return cmd as Extract<CliCommand, { kind: K }>;
}

function usageError(argv: string[], message: RegExp): UsageError {
  let caught: unknown;
  try {
    parseCommandLine(argv);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof UsageError, `expected a UsageError for ${argv.join(' ')}, got ${String(caught)}`);
  assert.match(caught.message, message);
  return caught;
}

/** A stream that records what is written. */
function recorder(isTTY = false): CliStream & { text: () => string } {
  let text = '';
  return {
    isTTY,
    write: (chunk: string) => (text += chunk),
    text: () => text,
  };
}

describe('CLI argument parsing', () => {
  it('builds a transcribeMedia input from a plain object key with defaults', () => {
    const cmd = parsed(['transcribe', 'audio/a.wav'], 'transcribe');
    assert.deepEqual(cmd.input, {
      media: { object: 'audio/a.wav' },
      recognition: { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } },
    });
    assert.equal(cmd.wait, false);
    assert.equal(cmd.json, false);
  });

  it('maps every transcribe flag', () => {
    const cmd = parsed(
      [
        'transcribe',
        'cos://media-1250000000/in/b.mp3',
        '--engine',
        '16k_en',
        '--output',
        'out/b.txt',
        '--region',
        'ap-shanghai',
        '--callback-format',
        'json',
        '--deadline',
        '30m',
        '--workflow-id',
        'wf-1',
        '--format',
        'vtt',
        '--json',
      ],
      'transcribe',
    );
    assert.deepEqual(cmd.input, {
      media: { object: 'in/b.mp3' },
      recognition: { speechRecognition: { EngineModelType: '16k_en', ChannelNum: 1 } },
      bucket: 'media-1250000000',
      region: 'ap-shanghai',
      output: { key: 'out/b.txt' },
      callback: { format: 'JSON' },
      deadline: '30m',
    });
    assert.equal(cmd.workflowId, 'wf-1');
    assert.equal(cmd.format, 'vtt');
    assert.equal(cmd.wait, true, '--format implies --wait');
    assert.equal(cmd.json, true);
  });

  it('accepts URLs, templates and --no-callback', () => {
    const cmd = parsed(
      ['transcribe', 'https://example.com/a.wav', '--template', 't1', '--output', 'x.txt', '--no-callback'],
      'transcribe',
    );
    assert.deepEqual(cmd.input.media, { url: 'https://example.com/a.wav' });
    assert.deepEqual(cmd.input.recognition, { templateId: 't1' });
    assert.deepEqual(cmd.input.callback, { enabled: false });
  });

  it('rejects contradictory or invalid transcribe flags with the reason', () => {
    usageError(['transcribe', 'a.wav', '--engine', '16k_zh', '--template', 't'], /--engine or --template/);
    usageError(['transcribe', 'a.wav', '--engine', '16k_zz'], /unknown engine model '16k_zz'.*Did you mean '16k_zh'/);
    usageError(['transcribe', 'a.wav', '--format', 'docx'], /--format must be one of text, srt, vtt/);
    usageError(['transcribe', 'a.wav', '--deadline', 'soon'], /deadline must be a positive duration/);
    usageError(['transcribe', 'https://e.com/a.wav'], /output.key is required when media is a url/);
    usageError(['transcribe', 'cos://other-1250000000/a.wav', '--bucket', 'media-1250000000'], /contradicts/);
    usageError(['transcribe', 'a.wav', '--no-callback', '--callback-format', 'XML'], /contradict/);
    usageError(['transcribe'], /'transcribe' needs <object\|url>/);
    usageError(['transcribe', 'a.wav', 'b.wav'], /Unexpected argument\(s\) for 'transcribe': b.wav/);
  });

  it('suggests the closest command and flag', () => {
    usageError(['transcrib', 'a.wav'], /Unknown command 'transcrib'. Did you mean 'transcribe'\?/);
    const err = usageError(['transcribe', 'a.wav', '--engin', '16k_zh'], /Unknown option '--engin'.*'--engine'/);
    assert.equal(err.command, 'transcribe');
    usageError(['jobs', 'lst'], /Did you mean 'jobs list'/);
    usageError(['jobs'], /'jobs' needs a command: list, get/);
    usageError(['--json'], /Expected a command/);
    usageError(['transcribe', 'a.wav', '--engine'], /'--engine' needs a value <model>/);
    usageError(['status', 'wf', '--json=yes'], /'--json' takes no value/);
  });

  it('has --help on every command', () => {
    for (const spec of COMMANDS) {
      const cmd = parsed([...spec.path, '--help'], 'help');
      assert.match(cmd.text, new RegExp(`^Usage: npm run cli -- ${spec.path.join(' ')}`));
      for (const flag of Object.keys(spec.options)) assert.ok(cmd.text.includes(`--${flag}`), flag);
    }
    assert.match(parsed([], 'help').text, /Commands:[\s\S]*jobs get/);
    assert.match(parsed(['help', 'jobs', 'list'], 'help').text, /--since <ISO time>/);
    assert.match(parsed(['jobs', '--help'], 'help').text, /jobs list/);
  });

  it('builds batch inputs from a prefix or explicit keys', () => {
    const byPrefix = parsed(['batch', 'podcasts/', '--max-in-flight', '3', '--fail-fast', '--wait'], 'batch');
    assert.deepEqual(byPrefix.input, {
      source: { prefix: 'podcasts/' },
      recognition: { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } },
      maxInFlight: 3,
      failOnItemFailure: true,
      item: {},
    });
    assert.equal(byPrefix.wait, true);
    const byKeys = parsed(['batch', '--keys', 'a.wav, b.wav', '--output-template', 'out/{stem}.{ext}'], 'batch');
    assert.deepEqual(byKeys.input.source, { keys: ['a.wav', 'b.wav'] });
    assert.equal(byKeys.input.outputKeyTemplate, 'out/{stem}.{ext}');
    usageError(['batch', 'p/', '--keys', 'a.wav'], /either a <prefix> or --keys/);
    usageError(['batch'], /'batch' needs what to transcribe: a <prefix> .* or --keys/);
    usageError(['batch', 'p/', '--max-in-flight', '0'], /--max-in-flight must be a whole number from 1 to 100/);
    usageError(['batch', '--keys', 'a,,b'], /without blanks/);
  });

  it('builds CI list filters and checks them', () => {
    const cmd = parsed(
      [
        'jobs',
        'list',
        '--queue',
        'q1',
        '--states',
        'running,Success',
        '--since',
        '2026-11-24T08:00:00Z',
        '--until',
        '2026-11-24T09:00:00Z',
        '--order',
        'asc',
        '--size',
        '5',
        '--all',
      ],
      'jobs-list',
    );
    assert.deepEqual(cmd.filter, {
      queueId: 'q1',
      states: ['Running', 'Success'],
      startCreationTime: new Date('2026-11-24T08:00:00Z'),
      endCreationTime: new Date('2026-11-24T09:00:00Z'),
      orderByTime: 'Asc',
      size: 5,
    });
    assert.equal(cmd.all, true);
    assert.deepEqual(parsed(['jobs', 'list'], 'jobs-list').filter, {});
    usageError(['jobs', 'list', '--states', 'Done'], /unknown state 'Done'/);
    usageError(['jobs', 'list', '--since', 'yesterday'], /ISO 8601/);
    usageError(['jobs', 'list', '--since', '2026-11-25', '--until', '2026-11-24'], /--since must not be after/);
    usageError(['jobs', 'list', '--size', '101'], /from 1 to 100/);
    usageError(['jobs', 'list', '--all', '--next-token', 'x'], /drop --next-token/);
  });

  it('splits and checks job ids', () => {
    assert.deepEqual(parsed(['jobs', 'get', 'a,b', 'c'], 'jobs-get').ids, ['a', 'b', 'c']);
    usageError(['jobs', 'get', 'a/b'], /Invalid job ids/);
    usageError(['jobs', 'get'], /needs <jobId\.\.\.>/);
  });
});

describe('CLI output helpers', () => {
  it('formats status and progress', () => {
    assert.equal(
      formatStatus({ phase: 'waiting', jobId: 's1', jobState: 'Running', polls: 2, callbacksReceived: 1 }),
      'phase=waiting job=s1 state=Running polls=2 callbacks=1',
    );
    const progress = { total: 10, listingComplete: true, succeeded: 3, failed: 2, running: 4 };
    assert.equal(formatProgress(progress, 10), '[#####-----] 5/10 ok=3 failed=2 running=4');
    assert.equal(
      formatProgress({ ...progress, total: 0, listingComplete: false, succeeded: 0, failed: 0, running: 0 }, 4),
      '[----] 0/0+ ok=0 failed=0 running=0',
    );
    const watched = { ...progress, itemsPerMinute: 12.5, etaSeconds: 185, waitingForQuota: 'ci-concurrency' as const };
    assert.equal(
      formatProgress(watched, 10),
      '[#####-----] 5/10 ok=3 failed=2 running=4 12.5/min eta 3m05s waiting: ci-concurrency',
    );
    assert.equal(formatTable(['A', 'BB'], [['xyz', '1']]), 'A    BB\nxyz  1\n');
  });

  it('redraws in place on a terminal and prints one line per change elsewhere', () => {
    const tty = recorder(true);
    const plain = recorder(false);
    for (const stream of [tty, plain]) {
      const line = new LiveLine(stream);
      line.update('one');
      line.update('one');
      line.update('two');
      line.finish();
    }
    assert.equal(tty.text(), '\r\x1b[2Kone\r\x1b[2Ktwo\n');
    assert.equal(plain.text(), 'one\ntwo\n');
  });
});

describe('runCli without a server', () => {
  function offlineContext() {
    const stdout = recorder();
    const stderr = recorder();
    const ctx: CliContext = {
      stdout,
      stderr,
      taskQueue: 'q',
      temporal: () => Promise.reject(new Error('no Temporal in this test')),
      tencent: () => assert.fail('no Tencent clients in this test'),
    };
    return { ctx, stdout, stderr };
  }

  it('exits 2 on usage errors with a pointer to the help', async () => {
    const { ctx, stdout, stderr } = offlineContext();
    assert.equal(await runCli(['transcribe', 'a.wav', '--formt', 'srt'], ctx), 2);
    assert.equal(stdout.text(), '');
    assert.match(stderr.text(), /Did you mean '--format'\?\nRun 'npm run cli -- transcribe --help' for usage\.\n$/);
  });

  it('prints usage errors as JSON too with --json', async () => {
    const { ctx, stdout } = offlineContext();
    assert.equal(await runCli(['jobs', 'list', '--size', 'x', '--json'], ctx), 2);
    const body = JSON.parse(stdout.text()) as { error: { name: string; message: string }[] };
    assert.equal(body.error[0]?.name, 'UsageError');
  });

  it('exits 0 with help on stdout', async () => {
    const { ctx, stdout } = offlineContext();
    assert.equal(await runCli(['status', '--help'], ctx), 0);
    assert.match(stdout.text(), /^Usage: npm run cli -- status <workflowId>/);
  });

  it('exits 1 with the cause chain when a dependency fails', async () => {
    const { ctx, stderr } = offlineContext();
    assert.equal(await runCli(['status', 'wf-1'], ctx), 1);
    assert.match(stderr.text(), /^error: Error: no Temporal in this test/);
  });
});

describe('CLI configuration', () => {
  it('names every missing Tencent variable without echoing values', () => {
    const config = loadCliConfig({ TENCENT_SECRET_KEY: 'k'.repeat(40), CI_ENDPOINT: 'not a url' });
    assert.equal(config.taskQueue, 'tencent-ci-asr');
    assert.throws(
      () => config.tencent(),
      (err: Error) => {
        assert.equal(err.name, 'ConfigError');
        for (const name of ['TENCENT_SECRET_ID', 'CI_BUCKET', 'CI_REGION', 'CI_ENDPOINT'])
          assert.match(err.message, new RegExp(name));
        assert.ok(!err.message.includes('k'.repeat(40)));
        return true;
      },
    );
    assert.equal(loadCliConfig({ TEMPORAL_TASK_QUEUE: 'asr-2' }).taskQueue, 'asr-2');
  });

  it('reports an unreachable Temporal server with its address and the variables to set', async () => {
    const stdout = recorder();
    const stderr = recorder();
    const ctx = createCliContext(loadCliConfig({ TEMPORAL_ADDRESS: '127.0.0.1:1' }), { stdout, stderr });
    try {
      assert.equal(await runCli(['status', 'wf-1', '--json'], ctx), 3, 'unreachable is exit code 3');
    } finally {
      await ctx.close();
    }
    assert.match(
      stderr.text(),
      /^error: TemporalUnreachableError: Cannot reach Temporal at 127\.0\.0\.1:1\. Start the local stack with `npm run dev`, or set TEMPORAL_ADDRESS .*\n$/,
    );
    const body = JSON.parse(stdout.text()) as { error: { name: string }[] };
    assert.equal(body.error[0]?.name, 'TemporalUnreachableError');
  });
});

describe('client input validation', () => {
  it('lists every problem in a named error', () => {
    assert.throws(
      () => validateTranscriptionInput({ media: { url: 'ftp://x' }, recognition: { templateId: '' } }),
      (err: unknown) => {
        assert.ok(err instanceof InvalidWorkflowInputError);
        assert.equal(err.name, 'InvalidWorkflowInputError');
        assert.equal(err.workflowType, 'transcribeMedia');
        assert.deepEqual(err.problems, [
          'media.url must be an http(s) URL',
          'recognition.templateId must be non-empty',
        ]);
        return true;
      },
    );
    assert.doesNotThrow(() =>
      validateTranscriptionInput({ media: { object: 'a.wav' }, recognition: { templateId: 't' } }),
    );
  });
});
