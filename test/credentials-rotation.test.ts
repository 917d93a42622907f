import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { IssuedCredentials } from '../src/emulator';
import { silentWav } from '../src/emulator';
import { transcribeMedia } from '../src/workflows';
import { bundleTranscriptionWorkflows } from '../src/worker-setup/transcription-worker';
import { assertHistoriesSafe } from './helpers/histories';
import type { TestStack } from './helpers/stack';
import { startStack, TEST_BUCKET } from './helpers/stack';
import type { TemporalTestServer } from './helpers/temporal';
import { startTemporalForTests } from './helpers/temporal';
import { waitFor } from './helpers/wait';

/** Writes the token file as a platform agent should: to a temporary name, then renamed over the old one. */
function writeTokenFile(path: string, credentials: IssuedCredentials): void {
  writeFileSync(`${path}.tmp`, JSON.stringify(credentials));
  renameSync(`${path}.tmp`, path);
}

describe('transcribeMedia with STS credentials that rotate', () => {
  let temporal: TemporalTestServer;
  let stack: TestStack;
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'sts-')), 'credentials.json');
  const now = Math.floor(Date.now() / 1000);
  const first: IssuedCredentials = {
    TmpSecretId: `AKID${randomBytes(12).toString('hex')}`,
    TmpSecretKey: randomBytes(24).toString('base64url'),
    Token: randomBytes(48).toString('base64url'),
    StartTime: now,
    ExpiredTime: now + 1800,
  };

  before(async () => {
    temporal = await startTemporalForTests();
    writeTokenFile(tokenFile, first);
    stack = await startStack(temporal, {
      workflowBundle: await bundleTranscriptionWorkflows(),
      // No callbacks: the run can only finish by polling, so polls must go on after the token expired.
      callbacks: false,
      credentialsFile: tokenFile,
      emulator: { temporaryCredentials: [first], timings: { queuedMs: 0, runningMs: 1500 } },
    });
  });
  after(async () => {
    await stack?.stop();
    await temporal?.teardown();
  });

  it('a token that expires mid-run is replaced, the run completes, and no job is orphaned', async () => {
    const key = `audio/${randomUUID()}.wav`;
    stack.emulator.putObject(TEST_BUCKET, key, silentWav(2));
    const workflowId = `sts-${randomUUID()}`;
    const handle = await stack.client.workflow.start(transcribeMedia, {
      taskQueue: stack.taskQueue,
      workflowId,
      args: [
        {
          media: { object: key },
          recognition: { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } },
          polling: { firstDelay: '100ms', maxInterval: '200ms', jitter: 0 },
        },
      ],
    });
    await waitFor('the job to be submitted', () => (stack.emulator.counters().jobsCreated === 1 ? true : undefined));
    // CI revokes the token early (the platform's rotation): every request signed with it is refused from now on.
    stack.emulator.setFaults({ expireTokensIssuedBefore: Date.now() + 1 });
    // On the CI host an expired token is answered with CI's SignatureExpired (docs/emulator.md, rows 20 and 32).
    await waitFor(
      'a poll refused with SignatureExpired',
      () => stack.emulator.counters().authRejections.SignatureExpired,
    );
    // The platform writes the next token; the worker's retry reads it.
    const second = stack.emulator.issueCredentials(1800);
    writeTokenFile(tokenFile, second);

    const result = await handle.result();
    assert.equal(result.completedBy, 'poll');
    assert.equal(result.resultObject.uri, `cos://${TEST_BUCKET}/asr/${key}.txt`);
    const counters = stack.emulator.counters();
    assert.equal(counters.jobsCreated, 1, 'one billed job, not a resubmission');
    assert.ok((counters.authRejections.SignatureExpired ?? 0) >= 1);
    const jobs = (await (await fetch(`${stack.emulator.url}/_emulator/jobs`)).json()) as Array<{ state: string }>;
    assert.deepEqual(
      jobs.map((j) => j.state),
      ['Success'],
      'no job left running or orphaned',
    );
    await assertHistoriesSafe(
      stack.client,
      [workflowId],
      [first.TmpSecretKey, first.Token, second.TmpSecretKey, second.Token],
      await bundleTranscriptionWorkflows(),
    );
  });
});
