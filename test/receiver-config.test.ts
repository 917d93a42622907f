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
    assert.deepEqual([config.adminHost, config.adminPort, config.healthIntervalMs], ['127.0.0.1', 9465, 5_000]);
    assert.deepEqual(config.limits, {
      perClient: { burst: 60, perSecond: 20 },
      perWorkflow: { burst: 10, perSecond: 1 },
      limitedAllowance: { burst: 3, perSecond: 1 },
      trackedKeys: 10_000,
    });
    assert.equal(config.clientAddressHeader, undefined);
  });

  it('reads the admin listener, health interval and rate limits', () => {
    const config = loadReceiverConfig({
      ...base,
      CALLBACK_SECRET: TEST_SECRET,
      RECEIVER_ADMIN_HOST: '0.0.0.0',
      RECEIVER_ADMIN_PORT: '9999',
      RECEIVER_HEALTH_INTERVAL_MS: '1000',
      RECEIVER_CLIENT_BURST: '5',
      RECEIVER_CLIENT_PER_SECOND: '2',
      RECEIVER_WORKFLOW_BURST: '3',
      RECEIVER_WORKFLOW_PER_SECOND: '4',
      RECEIVER_LIMITED_BURST: '6',
      RECEIVER_LIMITED_PER_SECOND: '7',
      RECEIVER_TRACKED_KEYS: '500',
      RECEIVER_CLIENT_ADDRESS_HEADER: 'X-Forwarded-For',
    });
    assert.deepEqual([config.adminHost, config.adminPort, config.healthIntervalMs], ['0.0.0.0', 9999, 1_000]);
    assert.deepEqual(config.limits, {
      perClient: { burst: 5, perSecond: 2 },
      perWorkflow: { burst: 3, perSecond: 4 },
      limitedAllowance: { burst: 6, perSecond: 7 },
      trackedKeys: 500,
    });
    assert.equal(config.clientAddressHeader, 'x-forwarded-for');
  });

  it('refuses an admin port equal to the callback port, zero limits and a bad header name', () => {
    assert.throws(
      () =>
        loadReceiverConfig({
          ...base,
          CALLBACK_SECRET: TEST_SECRET,
          RECEIVER_PORT: '9465',
          RECEIVER_CLIENT_BURST: '0',
          RECEIVER_CLIENT_ADDRESS_HEADER: 'x forwarded',
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.includes('RECEIVER_ADMIN_PORT must differ from the callback port') &&
        err.problems.some((p) => p.startsWith('RECEIVER_CLIENT_BURST must be a whole number from 1')) &&
        err.problems.some((p) => p.startsWith('RECEIVER_CLIENT_ADDRESS_HEADER must be a header name')),
    );
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
