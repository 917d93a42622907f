import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../src/config/reader';
import { loadWorkerConfig } from '../src/config/worker-config';

const valid = {
  TEMPORAL_ADDRESS: 'temporal:7233',
  TEMPORAL_NAMESPACE: 'media',
  TENCENT_SECRET_ID: 'AKIDexample',
  TENCENT_SECRET_KEY: 'not-a-real-key-but-long-enough',
  CI_BUCKET: 'media-1250000000',
  CI_REGION: 'ap-guangzhou',
};

describe('worker configuration', () => {
  it('reads a valid environment with defaults', () => {
    const config = loadWorkerConfig(valid);
    assert.equal(config.temporal.connect.connectionOptions.address, 'temporal:7233');
    assert.equal(config.temporal.namespace, 'media');
    assert.equal(config.taskQueue, 'tencent-ci-asr');
    assert.equal(config.callbacks, undefined);
    assert.equal(config.tencent.endpoint, undefined);
    assert.equal(config.logLevel, 'INFO');
    assert.equal(config.maxCachedWorkflows, undefined);
  });

  it('runs poll-only without a callback secret: no public URL, no callbacks, nothing demanded', () => {
    assert.equal(loadWorkerConfig(valid).callbacks, undefined);
    // A secret left over from a callback setup does not turn callbacks on without a URL.
    assert.equal(loadWorkerConfig({ ...valid, CALLBACK_SECRET: 'x'.repeat(40) }).callbacks, undefined);
  });

  it('enables callbacks with a public URL and a secret, trimming a trailing slash', () => {
    const config = loadWorkerConfig({
      ...valid,
      CALLBACK_PUBLIC_BASE_URL: 'https://hooks.example.com/',
      CALLBACK_SECRET: 'x'.repeat(40),
      CI_ENDPOINT: 'http://127.0.0.1:9100',
      WORKER_MAX_CACHED_WORKFLOWS: '200',
    });
    assert.equal(config.maxCachedWorkflows, 200);
    assert.deepEqual(config.callbacks, { publicBaseUrl: 'https://hooks.example.com', secret: 'x'.repeat(40) });
    assert.equal(config.tencent.endpoint, 'http://127.0.0.1:9100');
  });

  it('serves the Nexus service only with TENCENT_CI_ASR_NEXUS=1, and refuses another value', () => {
    assert.equal(loadWorkerConfig(valid).nexus, false);
    assert.equal(loadWorkerConfig({ ...valid, TENCENT_CI_ASR_NEXUS: '1' }).nexus, true);
    assert.equal(loadWorkerConfig({ ...valid, TENCENT_CI_ASR_NEXUS: '0' }).nexus, false);
    assert.throws(
      () => loadWorkerConfig({ ...valid, TENCENT_CI_ASR_NEXUS: 'yes' }),
      (err: unknown) => err instanceof ConfigError && err.message.includes('TENCENT_CI_ASR_NEXUS must be one of 0, 1'),
    );
  });

  it('reads a Worker Deployment Version from both variables, unversioned without them, and refuses one alone', () => {
    assert.equal(loadWorkerConfig(valid).workerDeploymentVersion, undefined);
    const versioned = loadWorkerConfig({
      ...valid,
      TEMPORAL_WORKER_DEPLOYMENT_NAME: 'ci-asr',
      TEMPORAL_WORKER_BUILD_ID: '0.2.0-abc123',
    });
    assert.deepEqual(versioned.workerDeploymentVersion, { deploymentName: 'ci-asr', buildId: '0.2.0-abc123' });
    assert.throws(
      () => loadWorkerConfig({ ...valid, TEMPORAL_WORKER_DEPLOYMENT_NAME: 'ci-asr' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message.includes('TEMPORAL_WORKER_BUILD_ID is required when TEMPORAL_WORKER_DEPLOYMENT_NAME is set'),
    );
    assert.throws(
      () => loadWorkerConfig({ ...valid, TEMPORAL_WORKER_BUILD_ID: '0.2.0' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.message.includes('TEMPORAL_WORKER_DEPLOYMENT_NAME is required when TEMPORAL_WORKER_BUILD_ID is set'),
    );
  });

  it('lists every problem in one error and never echoes secret values', () => {
    const secret = 'short-secret';
    let error: unknown;
    try {
      loadWorkerConfig({
        CI_BUCKET: 'Bad_Bucket',
        CALLBACK_PUBLIC_BASE_URL: 'ftp://x',
        CALLBACK_SECRET: secret,
        LOG_LEVEL: 'LOUD',
        WORKER_MAX_CONCURRENT_ACTIVITIES: '0',
      });
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof ConfigError);
    const text = error.message;
    for (const name of [
      'TENCENT_SECRET_ID',
      'TENCENT_SECRET_KEY',
      'CI_REGION',
      'CI_BUCKET',
      'CALLBACK_PUBLIC_BASE_URL',
      'CALLBACK_SECRET',
      'LOG_LEVEL',
      'WORKER_MAX_CONCURRENT_ACTIVITIES',
    ]) {
      assert.match(text, new RegExp(name));
    }
    assert.equal(text.includes(secret), false);
  });
});
