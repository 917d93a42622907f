/**
 * The emulator's documented answers (docs/emulator.md, rows of ci-wire-facts.md), checked with Tencent's own Python
 * SDK, cos-python-sdk-v5, for every ASR call it has (`test/fixtures/python-sdk-asr.py`). .ci/run installs the SDK; a
 * developer machine without it skips this file with a note (CI never does).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { RunningEmulator } from '../src/emulator';
import { silentWav } from '../src/emulator';
import { CREDS, REGION, startTestEmulator } from './fixtures/emulator-helpers';

const SCRIPT = join(__dirname, 'fixtures', 'python-sdk-asr.py');
const PY_BUCKET = 'pysdk-1250000000';
/** The Python with the SDK: `.ci/run` names it by absolute path (PATH may put another `python3` first). */
const PYTHON = process.env.TEST_PYTHON || 'python3';
const hasSdk = spawnSync(PYTHON, ['-c', 'import qcloud_cos'], { stdio: 'ignore' }).status === 0;
const skip = hasSdk || process.env.CI ? false : 'cos-python-sdk-v5 is not installed (pip install cos-python-sdk-v5)';

type Step = { ok?: unknown; error?: { status: number; code: string | null; message: string | null } };

describe("the emulator's strict answers through Tencent's Python SDK", { skip }, () => {
  let emulator: RunningEmulator;
  let steps: Record<string, Step>;
  before(async () => {
    emulator = await startTestEmulator({ asrBuckets: [], timings: { queuedMs: 0, runningMs: 20 } });
    emulator.putObject(PY_BUCKET, 'in/a.wav', silentWav(1));
    emulator.putObject(PY_BUCKET, 'in/README.md', '# README\nNot a recording.\n');
    const { stdout } = await promisify(execFile)(
      PYTHON,
      [SCRIPT, emulator.url, CREDS.secretId, CREDS.secretKey, PY_BUCKET, REGION],
      { encoding: 'utf8', timeout: 120_000 },
    );
    steps = JSON.parse(stdout) as Record<string, Step>;
  });
  after(async () => emulator?.close());

  const ok = (name: string): Record<string, unknown> => {
    const step = steps[name];
    assert.ok(step?.ok !== undefined, `${name}: ${JSON.stringify(step)}`);
    return step.ok as Record<string, unknown>;
  };
  const refused = (name: string, status: number, code: string, message?: RegExp): void => {
    const error = steps[name]?.error;
    assert.ok(error, `${name} should be refused: ${JSON.stringify(steps[name])}`);
    assert.deepEqual([error.status, error.code], [status, code], name);
    if (message) assert.match(error.message ?? '', message, name);
  };
  const raw = (name: string): string => {
    const value = steps[name]?.ok;
    assert.equal(typeof value, 'string', `${name}: ${JSON.stringify(steps[name])}`);
    return value as string;
  };
  const first = (value: unknown): Record<string, unknown> =>
    (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;

  it('setup answers carry RequestId (row 4); DELETE /asrbucket answers BucketName (row 2)', () => {
    assert.ok(ok('getBucketsBefore').RequestId);
    // The SDK hands the raw XML back for open and close.
    assert.match(raw('openBucket'), /^<\?xml[^>]*>\s*<Response><RequestId>[^<]+<\/RequestId><AsrBucket>/);
    assert.match(
      raw('closeBucket'),
      new RegExp(`<Response><RequestId>[^<]+</RequestId><BucketName>${PY_BUCKET}</BucketName></Response>`),
    );
    assert.ok(ok('getQueue').RequestId);
    assert.ok(ok('updateQueue').RequestId);
    assert.ok(ok('createTemplate').RequestId);
    assert.ok(ok('getTemplates').RequestId);
    assert.ok(ok('deleteTemplate').RequestId);
    assert.equal(ok('updateTemplate').RequestId, undefined, 'the PUT /template sample has none');
    assert.equal(ok('createJob').RequestId, undefined, 'job answers have none');
  });

  it('queues carry BucketId; templates State Normal (further 1, 4)', () => {
    assert.equal(first(ok('getQueue').QueueList).BucketId, PY_BUCKET);
    assert.equal(first(ok('updateQueue').Queue).BucketId, PY_BUCKET);
    assert.equal((ok('createTemplate').Template as Record<string, unknown>).State, 'Normal');
  });

  it('PUT /asrqueue needs NotifyConfig, Event and Type when On, and a documented name (row 9)', () => {
    refused('updateQueueWithoutNotify', 400, 'InvalidArgument', /NotifyConfig is required/);
    refused('updateQueueOnWithoutEvent', 400, 'InvalidArgument', /Event and NotifyConfig.Type are required/);
    refused('updateQueueBadName', 400, 'InvalidArgument', /may hold only/);
    const notify = first(ok('updateQueue').Queue).NotifyConfig as Record<string, unknown>;
    assert.deepEqual([notify.State, notify.Event, notify.Type], ['On', 'TaskFinish', 'Url']);
  });

  it("unknown ids and duplicate names get CI's own codes (rows 8, 30; further 5, 6)", () => {
    refused('updateUnknownQueue', 400, 'QueueNotFound');
    refused('jobWithUnknownQueue', 400, 'QueueNotFound');
    refused('jobWithUnknownTemplate', 400, 'TemplateNotFound');
    refused('createDuplicateTemplate', 400, 'TemplateNameDuplicate');
    refused('createBadNameTemplate', 400, 'InvalidArgument', /may hold only/);
  });

  it('a list without queueId is refused (further 13); with it, the job is listed', () => {
    refused('listWithoutQueue', 400, 'InvalidArgument', /queueId is required/);
    const created = first(ok('createJob').JobsDetail);
    const listed = ok('listWithQueue').JobsDetail;
    assert.ok(
      (Array.isArray(listed) ? listed : [listed]).some((j) => (j as { JobId?: string }).JobId === created.JobId),
    );
  });

  it('a job on a text file ends Failed with a code and message; CI auth and unbound-bucket codes', () => {
    const failed = first(ok('getJobOnText').JobsDetail);
    assert.deepEqual([failed.State, failed.Code], ['Failed', 'InvalidMediaFormat']);
    assert.match(String(failed.Message), /not an audio or video file/);
    refused('wrongKey', 401, 'InvalidAuthorization');
    refused('getQueueAfterClose', 400, 'MediaBucketUnBinded');
  });
});
