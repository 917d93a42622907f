/**
 * The worker's Temporal connection over TLS, outside Docker: a TLS terminator with a self-signed CA (openssl) in front
 * of the dev server's plain gRPC port stands in for Temporal Cloud or an mTLS frontend. The worker's own config loader
 * and connection run in a child process so each case has a clean environment. The trust-store case is the one the
 * Docker image needs `ca-certificates` for: with `TEMPORAL_TLS=true` and no CA of its own, the SDK core verifies the
 * server against the system's CA bundle (here pointed at the test CA with `SSL_CERT_FILE`).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createServer, type Server } from 'node:tls';
import type { ChildResult } from './helpers/child';
import { runChild } from './helpers/child';

const CHILD = join(__dirname, 'fixtures', 'tls-connect.ts');

function openssl(dir: string, args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(result.status, 0, `openssl ${args.join(' ')}: ${result.stderr}`);
}

/** A CA (`<name>-ca.pem`) and, for `server`, a localhost certificate it signed (`server.pem`, `server-key.pem`). */
function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name} test CA`,
    '-keyout',
    `${name}-ca-key.pem`,
    '-out',
    `${name}-ca.pem`,
  ]);
}

describe('worker connection to Temporal over TLS', () => {
  let dir: string;
  let proxy: Server;
  let proxyPort: number;
  /** Sessions whose handshake completed, counted by the TLS terminator. */
  let sessions = 0;

  before(async () => {
    const upstream = process.env.TEMPORAL_ADDRESS;
    assert.ok(upstream, 'the test runner provides a dev server at TEMPORAL_ADDRESS');
    const [upstreamHost, upstreamPort] = [upstream.slice(0, upstream.lastIndexOf(':')), upstream.split(':').at(-1)];
    dir = mkdtempSync(join(tmpdir(), 'worker-tls-'));
    makeCa(dir, 'trusted');
    makeCa(dir, 'other');
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    openssl(dir, [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      'server-key.pem',
      '-out',
      'server.csr',
    ]);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'trusted-ca.pem',
      '-CAkey',
      'trusted-ca-key.pem',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      'server.pem',
    ]);
    // gRPC over TLS is HTTP/2 negotiated by ALPN; behind the terminator the dev server speaks the same frames in clear.
    proxy = createServer(
      {
        key: readFileSync(join(dir, 'server-key.pem')),
        cert: readFileSync(join(dir, 'server.pem')),
        ALPNProtocols: ['h2'],
      },
      (socket) => {
        const server = connect(Number(upstreamPort), upstreamHost);
        socket.pipe(server).pipe(socket);
        const close = (): void => {
          socket.destroy();
          server.destroy();
        };
        socket.on('error', close).on('close', close);
        server.on('error', close).on('close', close);
      },
    );
    proxy.on('secureConnection', () => (sessions += 1));
    proxy.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyPort = (proxy.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise((resolve) => proxy?.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the worker's connection with the documented variables plus `extra`; returns exit code and output. */
  async function connectWith(extra: Record<string, string>): Promise<ChildResult> {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TEMPORAL_CONFIG_FILE: join(dir, 'no-temporal.toml'),
      TEMPORAL_ADDRESS: `localhost:${proxyPort}`,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
      TENCENT_SECRET_ID: 'tls-test-id',
      TENCENT_SECRET_KEY: 'tls-test-key',
      CI_BUCKET: 'media-1250000000',
      CI_REGION: 'ap-guangzhou',
      // Only the test's bundle decides trust, never this machine's.
      SSL_CERT_FILE: join(dir, 'other-ca.pem'),
      SSL_CERT_DIR: join(dir, 'no-such-dir'),
      ...extra,
    };
    // The TLS terminator runs in this process: the child must not block it.
    return await runChild(process.execPath, ['--import', 'tsx', CHILD], env);
  }

  it('connects with the server CA given by TEMPORAL_TLS_SERVER_CA_CERT_PATH', async () => {
    const before = sessions;
    const result = await connectWith({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'trusted-ca.pem') });
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /^connected: namespace /m);
    assert.ok(sessions > before, 'the request went through the TLS terminator');
  });

  it('connects with TEMPORAL_TLS=true when the system trust store holds the CA (what ca-certificates provides)', async () => {
    const before = sessions;
    const result = await connectWith({ TEMPORAL_TLS: 'true', SSL_CERT_FILE: join(dir, 'trusted-ca.pem') });
    assert.equal(result.status, 0, result.output);
    assert.ok(sessions > before, 'the request went through the TLS terminator');
  });

  it('refuses a server its trust store does not vouch for, before any request is sent', async () => {
    const before = sessions;
    const result = await connectWith({ TEMPORAL_TLS: 'true' });
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /^failed: /m);
    assert.equal(sessions, before, 'no TLS session was established');
  });
});
