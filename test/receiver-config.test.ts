import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../src/config/reader';
import { loadReceiverConfig } from '../src/receiver/config';
import { TEST_PREVIOUS_SECRET, TEST_SECRET } from './fixtures/receiver-helpers';

/** No config file: only the variables given here count. */
const base = { TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml', TEMPORAL_ADDRESS: 'temporal.internal:7233' };

describe('receiver configuration', () => {
  it('applies defaults and reads the Temporal connection through envconfig', () => {
    const config = loadReceiverConfig({ ...base, CALLBACK_SECRET: TEST_SECRET, TEMPORAL_NAMESPACE: 'asr' });
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 8787);
    assert.deepEqual(config.secrets, [TEST_SECRET]);
    assert.equal(config.maxBodyBytes, 1024 * 1024);
    assert.equal(config.requestTimeoutMs, 10_000);
    assert.equal(config.temporalTimeoutMs, 5_000);
    assert.equal(config.temporal.namespace, 'asr');
    assert.equal(config.temporal.connectionOptions.address, 'temporal.internal:7233');
  });

  it('reads every variable, with --port over RECEIVER_PORT, and an API key implying TLS', () => {
    const config = loadReceiverConfig(
      {
        ...base,
        CALLBACK_SECRET: TEST_SECRET,
        CALLBACK_SECRET_PREVIOUS: TEST_PREVIOUS_SECRET,
        RECEIVER_HOST: '0.0.0.0',
        RECEIVER_PORT: '9000',
        RECEIVER_MAX_BODY_BYTES: '4096',
        RECEIVER_REQUEST_TIMEOUT_MS: '2000',
        RECEIVER_TEMPORAL_TIMEOUT_MS: '3000',
        TEMPORAL_API_KEY: 'test-api-key',
      },
      ['--port', '9100'],
    );
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.port, 9100);
    assert.deepEqual(config.secrets, [TEST_SECRET, TEST_PREVIOUS_SECRET]);
    assert.equal(config.maxBodyBytes, 4096);
    assert.equal(config.requestTimeoutMs, 2000);
    assert.equal(config.temporalTimeoutMs, 3000);
    assert.equal(config.temporal.connectionOptions.apiKey, 'test-api-key');
    assert.equal(config.temporal.connectionOptions.tls, true);
  });

  it('reports every problem in one error without echoing secrets', () => {
    const shortSecret = 'short-secret-value';
    let error: unknown;
    try {
      loadReceiverConfig(
        {
          TEMPORAL_CONFIG_FILE: '/nonexistent/temporal.toml',
          CALLBACK_SECRET_PREVIOUS: shortSecret,
          RECEIVER_PORT: '70000',
          RECEIVER_MAX_BODY_BYTES: '-1',
          RECEIVER_REQUEST_TIMEOUT_MS: 'soon',
        },
        [],
      );
    } catch (err) {
      error = err;
    }
    assert.ok(error instanceof ConfigError);
    assert.equal(error.name, 'ConfigError');
    assert.deepEqual(error.problems, [
      'RECEIVER_PORT must be a whole number from 0 to 65535 (got "70000")',
      'CALLBACK_SECRET is required',
      'CALLBACK_SECRET_PREVIOUS must be at least 32 characters when set',
      'RECEIVER_MAX_BODY_BYTES must be a whole number from 1024 to 67108864 (got "-1")',
      'RECEIVER_REQUEST_TIMEOUT_MS must be a whole number from 100 to 600000 (got "soon")',
      'TEMPORAL_ADDRESS (or an address in the Temporal config profile) is required',
    ]);
    assert.ok(!error.message.includes(shortSecret));
  });

  it('reports unknown command-line flags', () => {
    assert.throws(
      () => loadReceiverConfig({ ...base, CALLBACK_SECRET: TEST_SECRET }, ['--prot', '1']),
      (err: unknown) => err instanceof ConfigError && /--prot/.test(err.message),
    );
  });
});
