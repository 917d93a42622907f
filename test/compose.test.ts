/**
 * Static checks of docker-compose.yml, the Dockerfile, deploy/versions.env, deploy/local.env and .env.example against
 * the code's configuration (no Docker engine here): images pinned in one place or buildable, dependencies and profiles
 * valid, ports and variables consistent with what the worker and receiver actually read, the runtime image able to
 * verify TLS, healthchecks that test the right thing. Runs `docker-compose config` when installed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ConfigError } from '../src/config/reader';
import { loadWorkerConfig } from '../src/config/worker-config';
import { loadReceiverConfig } from '../src/receiver/config';
import { DEFAULT_TASK_QUEUE } from '../src/shared/constants';
import { PROJECT_SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';

const ROOT = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const COMPOSE_TEXT = read('docker-compose.yml');
const DOCKERFILE = read('Dockerfile');

interface Service {
  image?: string;
  build?: { context: string; target?: string; dockerfile?: string };
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number>;
  ports?: string[];
  volumes?: string[];
  command?: string[];
  healthcheck?: { test: string[] };
}
type Compose = { services: Record<string, Service> };
type Vars = Record<string, string>;

/** Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`, `$VAR` and `$$`. */
const REFERENCE = /\$\$|\$\{([A-Za-z_]\w*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_]\w*)/g;

/** Interpolates like compose; a missing required variable becomes `<required:NAME>` and is listed in `missing`. */
function interpolate(text: string, vars: Vars, missing: Set<string>): string {
  return text.replace(REFERENCE, (whole, braced?: string, op?: string, arg?: string, bare?: string) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare)!;
    const value = vars[name];
    const empty = value === undefined || (op?.startsWith(':') === true && value === '');
    if (!empty) return value;
    if (op?.endsWith('?')) {
      missing.add(name);
      return `<required:${name}>`;
    }
    return op?.endsWith('-') ? (arg ?? '') : '';
  });
}

function resolve(vars: Vars): { compose: Compose; missing: Set<string> } {
  const missing = new Set<string>();
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return interpolate(node, vars, missing);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  return { compose: walk(parse(COMPOSE_TEXT, { merge: true })) as Compose, missing };
}

function envFile(path: string): Vars {
  const lines = read(path).split('\n');
  const pairs = lines.map((l) => /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(l)).filter((m) => m !== null);
  return Object.fromEntries(pairs.map((m): [string, string] => [m[1]!, m[2]!]));
}

/** Every variable the compose file references, and those it requires (`:?`). */
function references(): { all: Set<string>; required: Set<string> } {
  const all = new Set<string>();
  const required = new Set<string>();
  for (const m of COMPOSE_TEXT.matchAll(REFERENCE)) {
    const name = m[1] ?? m[4];
    if (!name) continue;
    all.add(name);
    if (m[2]?.endsWith('?')) required.add(name);
  }
  return { all, required };
}

/** Environment names appearing as string literals or `env.NAME` in the given source files. */
function namesReadBy(files: string[]): Set<string> {
  const names = files.flatMap((f) => [...read(f).matchAll(/(?:'|env\.)([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g)]);
  return new Set(names.map((m) => m[1]!));
}

const WORKER_SOURCES = ['src/config/worker-config.ts', 'src/config/tencent-settings.ts', 'src/worker.ts'];
const RECEIVER_SOURCES = ['src/receiver/config.ts'];
/** Read by @temporalio/envconfig for both processes; checked by their effect on the loaded config below. */
const TEMPORAL_CLIENT_VARS = ['TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE'];
/** Read by Node itself (the heap limit). */
const NODE_RUNTIME_VARS = ['NODE_OPTIONS'];
/** Read by src/observability/tracing.ts in both processes (the standard OpenTelemetry variable). */
const OTEL_VARS = ['OTEL_EXPORTER_OTLP_ENDPOINT'];
/** Every image version, in the one file compose reads for them. */
const VERSIONS = envFile('deploy/versions.env');
/** No Temporal config file on the test machine may leak into the checks. */
const NO_CONFIG_FILE = { TEMPORAL_CONFIG_FILE: join(ROOT, 'nonexistent-temporal.toml') };

/** Placeholders for every required variable, as a production `.env` would give them (after the versions). */
const PRODUCTION_VARS: Vars = {
  ...VERSIONS,
  POSTGRES_PASSWORD: 'placeholder-password',
  TENCENT_SECRET_ID: 'placeholder-secret-id',
  TENCENT_SECRET_KEY: 'placeholder-secret-key',
  CI_BUCKET: 'media-1250000000',
  CI_REGION: 'ap-guangzhou',
  CALLBACK_SECRET: 'placeholder-callback-secret-0123456789abcdef',
};

function env(service: Service): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]));
}

/** The `FROM` stages of the Dockerfile: name, base and instructions. */
function dockerStages(): Map<string, { from: string; lines: string[] }> {
  const args = Object.fromEntries([...DOCKERFILE.matchAll(/^ARG (\w+)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
  const stages = new Map<string, { from: string; lines: string[] }>();
  let current: string[] = [];
  for (const line of DOCKERFILE.split('\n')) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = [];
      const base = from[1]!.replace(/\$\{(\w+)\}/g, (_, name: string) => args[name] ?? '');
      stages.set(from[2] ?? `#${stages.size}`, { from: base, lines: current });
    } else current.push(line);
  }
  return stages;
}

/** The last `USER` in force for a stage, following `FROM <stage>` chains. */
function effectiveUser(stages: ReturnType<typeof dockerStages>, name: string): string | undefined {
  const stage = stages.get(name);
  if (!stage) return undefined;
  const users = stage.lines.filter((l) => /^USER\s/.test(l)).map((l) => l.split(/\s+/)[1]!);
  return users.at(-1) ?? effectiveUser(stages, stage.from);
}

function assertPinned(image: string, where: string): void {
  const m = /^([a-z0-9./_-]+)(?::([\w.-]+))?(?:@sha256:[a-f0-9]{64})?$/.exec(image);
  assert.ok(m, `${where}: image "${image}" is not a plain name:tag`);
  assert.ok(m[2] && m[2] !== 'latest', `${where}: image "${image}" must pin a tag other than latest`);
}

function containerPort(mapping: string): number {
  return Number(
    mapping
      .replace(/\/\w+$/, '')
      .split(':')
      .at(-1),
  );
}

function healthUrl(service: Service): URL {
  const url = /https?:\/\/[^'"\s)]+/.exec((service.healthcheck?.test ?? []).join(' '));
  assert.ok(url, 'healthcheck fetches an http URL');
  return new URL(url[0]);
}

const { compose: prod, missing: prodMissing } = resolve(PRODUCTION_VARS);
const services = prod.services;

describe('docker-compose.yml', () => {
  it('parses, and every service has a pinned image or a build target of the Dockerfile', () => {
    assert.deepEqual([...prodMissing], [], 'the placeholders cover every required variable');
    const stages = dockerStages();
    for (const [name, service] of Object.entries(services)) {
      if (service.image) assertPinned(service.image, name);
      else {
        assert.ok(service.build, `${name}: needs an image or a build`);
        const dockerfile = join(ROOT, service.build.context, service.build.dockerfile ?? 'Dockerfile');
        assert.ok(existsSync(dockerfile), `${name}: ${dockerfile} exists`);
        if (service.build.target) assert.ok(stages.has(service.build.target), `${name}: stage ${service.build.target}`);
      }
    }
    for (const [name, stage] of stages) if (!stages.has(stage.from)) assertPinned(stage.from, `Dockerfile ${name}`);
  });

  it('runs the built services as a non-root user, each with the entry point of its code', () => {
    const stages = dockerStages();
    const entry = { worker: 'src/worker.ts', receiver: 'src/receiver/main.ts', emulator: 'src/emulator/main.ts' };
    for (const [name, source] of Object.entries(entry)) {
      const target = services[name]?.build?.target;
      assert.ok(target, `${name} is built from the Dockerfile`);
      const user = effectiveUser(stages, target);
      assert.ok(user && !/^(root|0)(:|$)/.test(user), `${name}: runs as root (USER ${user})`);
      let stage = stages.get(target);
      let cmd: string | undefined;
      while (stage && !cmd) {
        cmd = stage.lines.filter((l) => l.startsWith('CMD')).at(-1);
        stage = stages.get(stage.from);
      }
      const script = /"(dist\/[\w/.-]+)\.js"/.exec(cmd ?? '')?.[1];
      assert.equal(script?.replace(/^dist\//, 'src/') + '.ts', source, `${name}: CMD runs the compiled ${source}`);
    }
    const workerStage = stages.get(services.worker!.build!.target!)!.lines.join('\n');
    const bundle = /WORKFLOW_BUNDLE_PATH=\/app\/(\S+)/.exec(workerStage)?.[1];
    assert.ok(bundle && DOCKERFILE.includes(`writeFileSync('${bundle}'`), 'the worker image ships its prebuilt bundle');
  });

  it('names real services in depends_on, with valid conditions, never a profiled one from a default service', () => {
    const conditions = ['service_started', 'service_healthy', 'service_completed_successfully'];
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = services[dep];
        assert.ok(target, `${name} depends on unknown service ${dep}`);
        assert.ok(conditions.includes(condition), `${name} -> ${dep}: condition ${condition}`);
        if (condition === 'service_healthy') assert.ok(target.healthcheck, `${dep} has a healthcheck`);
        if (!service.profiles) assert.equal(target.profiles, undefined, `${name} needs ${dep} in every profile`);
      }
    }
  });

  it('keeps the emulator under the local profile and every other service in the default one', () => {
    for (const [name, service] of Object.entries(services)) {
      // The observability profile's services are checked in test/compose-observability.test.ts.
      if (service.profiles?.includes('observability')) continue;
      assert.deepEqual(service.profiles, name === 'emulator' ? ['local'] : undefined, name);
    }
    assert.ok(envFile('deploy/local.env').COMPOSE_PROFILES?.split(',').includes('local'));
  });

  it('sets only variables the worker and receiver read, and every variable they require', () => {
    for (const [name, sources] of [
      ['worker', WORKER_SOURCES],
      ['receiver', RECEIVER_SOURCES],
    ] as const) {
      const known = new Set([...namesReadBy(sources), ...TEMPORAL_CLIENT_VARS, ...NODE_RUNTIME_VARS, ...OTEL_VARS]);
      const set = env(services[name]!);
      for (const key of Object.keys(set)) assert.ok(known.has(key), `${name} sets ${key}, which no code reads`);
      const empty = resolve({}).compose.services[name]!;
      let problems: readonly string[] = [];
      try {
        if (name === 'worker') loadWorkerConfig({ ...NO_CONFIG_FILE });
        else loadReceiverConfig({ ...NO_CONFIG_FILE });
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        problems = err.problems;
      }
      assert.ok(problems.length > 0, `${name} requires something`);
      for (const problem of problems) {
        const key = /^[A-Z][A-Z0-9_]+/.exec(problem)?.[0];
        if (!key) continue;
        // "X is required (… or set Y)": compose passes both and leaves the choice to the user (the code refuses neither).
        const alternative = /or set ([A-Z][A-Z0-9_]+)\)/.exec(problem)?.[1];
        if (alternative)
          assert.ok(key in env(empty) && alternative in env(empty), `${name}: compose passes ${key}/${alternative}`);
        else assert.ok(env(empty)[key], `${name}: compose always provides ${key}`);
      }
    }
  });

  it('gives the worker and receiver a configuration their loaders accept, on the ports the stack uses', () => {
    const worker = loadWorkerConfig({ ...env(services.worker!), ...NO_CONFIG_FILE });
    assert.equal(worker.taskQueue, DEFAULT_TASK_QUEUE);
    assert.equal(worker.tencent.endpoint, undefined, 'Tencent Cloud unless CI_ENDPOINT is set');
    assert.equal(worker.callbacks, undefined, 'polling only until CALLBACK_PUBLIC_BASE_URL is set');
    const [temporalHost, temporalPort] = worker.temporal.connect.connectionOptions.address!.split(':');
    assert.ok(services[temporalHost!], 'TEMPORAL_ADDRESS names the Temporal service');
    assert.equal(Number(temporalPort), 7233);
    assert.ok(services.temporal!.ports!.map(containerPort).includes(7233));
    assert.equal(worker.temporal.namespace, env(services['temporal-namespace']!).NAMESPACE);
    const metricsPort = Number(worker.metricsBindAddress?.split(':').at(-1));
    assert.match(DOCKERFILE, new RegExp(`^EXPOSE ${metricsPort}$`, 'm'));

    const receiver = loadReceiverConfig({ ...env(services.receiver!), ...NO_CONFIG_FILE });
    const codeDefault = loadReceiverConfig({
      CALLBACK_SECRET: PRODUCTION_VARS.CALLBACK_SECRET,
      TEMPORAL_ADDRESS: 'temporal:7233',
      ...NO_CONFIG_FILE,
    });
    assert.equal(receiver.port, codeDefault.port);
    assert.equal(receiver.host, '0.0.0.0');
    assert.equal(receiver.temporal.namespace, worker.temporal.namespace);
    assert.deepEqual(services.receiver!.ports!.map(containerPort), [receiver.port]);
    assert.deepEqual(services['temporal-ui']!.ports!.map(containerPort), [8080]);
  });

  it('wires the local profile: worker to the emulator, callbacks to the receiver, one set of credentials', () => {
    const local = resolve({ ...VERSIONS, ...envFile('deploy/local.env') });
    assert.deepEqual([...local.missing], []);
    const { worker: w, emulator: e, receiver: r } = local.compose.services;
    const worker = loadWorkerConfig({ ...env(w!), ...NO_CONFIG_FILE });
    const emulator = env(e!);
    const endpoint = new URL(worker.tencent.endpoint!);
    assert.equal(endpoint.hostname, 'emulator');
    assert.equal(endpoint.port, emulator.EMULATOR_PORT);
    assert.deepEqual(e!.ports!.map(containerPort), [Number(emulator.EMULATOR_PORT)]);
    const callbacks = new URL(worker.callbacks!.publicBaseUrl);
    assert.equal(callbacks.hostname, 'receiver');
    assert.equal(callbacks.port, env(r!).RECEIVER_PORT);
    assert.deepEqual(
      [emulator.EMULATOR_SECRET_ID, emulator.EMULATOR_SECRET_KEY, emulator.EMULATOR_BUCKET],
      [worker.tencent.secretId, worker.tencent.secretKey, worker.tencent.bucket],
    );
  });

  it('registers exactly the search attributes the workflows upsert, with scripts that exist', () => {
    const cliType = (t: string): string => t.toLowerCase().replace(/(^|_)(\w)/g, (_, __, c: string) => c.toUpperCase());
    const expected = PROJECT_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${cliType(k.type)}`).sort();
    const namespaceStep = services['temporal-namespace']!;
    assert.deepEqual(env(namespaceStep).SEARCH_ATTRIBUTES!.split(/\s+/).sort(), expected);
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const [host, container] = volume.split(':');
        if (!host!.startsWith('.')) continue;
        assert.ok(existsSync(join(ROOT, host!)), `${name}: ${host} exists`);
        const script = service.command?.[0];
        if (script?.startsWith(`${container}/`)) {
          assert.ok(existsSync(join(ROOT, host!, script.slice(container!.length))), `${name}: ${script} exists`);
        }
      }
    }
  });
});

describe('images, versions and healthchecks', () => {
  const raw = parse(COMPOSE_TEXT, { merge: true }) as Compose;

  it('takes every image version from deploy/versions.env, and uses each version there', () => {
    const used = new Set<string>();
    for (const [name, service] of Object.entries(raw.services)) {
      const image = service.image ?? '';
      if (!image) continue;
      const tag = /^[a-z0-9./_-]+:\$\{([A-Z_]+):\?[^}]+\}$/.exec(image);
      assert.ok(tag, `${name}: the image tag is a required variable, not typed in (${image})`);
      assert.ok(VERSIONS[tag[1]!], `${name}: ${tag[1]} is set in deploy/versions.env`);
      used.add(tag[1]!);
    }
    const buildArg = /NODE_IMAGE: \$\{(NODE_IMAGE):\?/.exec(COMPOSE_TEXT);
    assert.ok(buildArg, 'the Node base image is a build argument from deploy/versions.env');
    used.add(buildArg[1]!);
    assert.deepEqual(Object.keys(VERSIONS).sort(), [...used].sort(), 'every version in deploy/versions.env is used');
    assert.equal(
      /temporalio\/server:\$\{(\w+)/.exec(COMPOSE_TEXT)?.[1],
      /temporalio\/admin-tools:\$\{(\w+)/.exec(COMPOSE_TEXT)?.[1],
      'server and admin-tools share one version',
    );
    for (const [name, service] of Object.entries(services)) if (service.image) assertPinned(service.image, name);
    const dockerDefault = /^ARG NODE_IMAGE=(\S+)$/m.exec(DOCKERFILE)?.[1];
    assert.equal(VERSIONS.NODE_IMAGE, dockerDefault, "deploy/versions.env's NODE_IMAGE is the Dockerfile's default");
    for (const name of ['worker', 'receiver', 'emulator']) {
      const build = services[name]!.build as { args?: Record<string, string> };
      assert.equal(build.args?.NODE_IMAGE, VERSIONS.NODE_IMAGE, `${name} builds on NODE_IMAGE`);
    }
  });

  it('installs ca-certificates in the runtime stage every service image inherits', () => {
    const stages = dockerStages();
    const runtime = stages.get('runtime')!.lines.join('\n');
    assert.match(runtime, /apt-get install -y --no-install-recommends ca-certificates/);
    assert.match(runtime, /rm -rf \/var\/lib\/apt\/lists/, 'no apt lists left in the image');
    for (const name of ['worker', 'receiver', 'emulator']) {
      let stage = services[name]!.build!.target!;
      while (stage !== 'runtime') {
        assert.ok(stages.has(stage), `${name} descends from the runtime stage`);
        stage = stages.get(stage)!.from;
      }
    }
  });

  it('sets the history shard count, explained, since it can never change after the first start', () => {
    const temporal = env(services.temporal!);
    assert.equal(temporal.NUM_HISTORY_SHARDS, '512');
    const block = COMPOSE_TEXT.slice(0, COMPOSE_TEXT.indexOf('NUM_HISTORY_SHARDS:')).split('\n').slice(-8).join('\n');
    assert.match(block, /never be changed/, 'a comment above it says why');
  });

  it('passes every variable the worker reads, and a heap limit to worker and receiver', () => {
    const worker = env(resolve({}).compose.services.worker!);
    const stage = dockerStages().get('worker')!.lines.join('\n');
    for (const name of namesReadBy(WORKER_SOURCES)) {
      const setByImage = new RegExp(`^ENV ${name}=`, 'm').test(stage);
      assert.ok(name in worker || setByImage, `compose passes ${name} to the worker`);
    }
    assert.match(env(services.worker!).NODE_OPTIONS!, /^--max-old-space-size=1024$/);
    assert.match(env(services.receiver!).NODE_OPTIONS!, /^--max-old-space-size=\d+$/);
    const tuned = resolve({ ...PRODUCTION_VARS, WORKER_MAX_CACHED_WORKFLOWS: '200', WORKER_HEAP_MB: '384' });
    const config = loadWorkerConfig({ ...env(tuned.compose.services.worker!), ...NO_CONFIG_FILE });
    assert.equal(config.maxCachedWorkflows, 200);
    assert.equal(env(tuned.compose.services.worker!).NODE_OPTIONS, '--max-old-space-size=384');
    assert.equal(loadWorkerConfig({ ...env(services.worker!), ...NO_CONFIG_FILE }).maxCachedWorkflows, undefined);
  });

  it('runs the worker on a rotating STS token file from a mounted folder instead of static keys', () => {
    const { TENCENT_SECRET_ID: _id, TENCENT_SECRET_KEY: _key, ...noKeys } = PRODUCTION_VARS;
    const inContainer = '/run/tencent-credentials/credentials.json';
    const sts = resolve({
      ...noKeys,
      TENCENT_CREDENTIALS_DIR: '/var/run/platform-sts',
      TENCENT_CREDENTIALS_FILE: inContainer,
    });
    assert.deepEqual(sts.missing, new Set(), 'no static key is required by compose');
    const worker = sts.compose.services.worker!;
    assert.ok(worker.volumes!.includes('/var/run/platform-sts:/run/tencent-credentials:ro'), 'the folder is mounted');
    assert.equal(env(worker).TENCENT_CREDENTIALS_FILE, inContainer);
    assert.ok(inContainer.startsWith('/run/tencent-credentials/'), 'the documented path lies in the mount');
    // Inside the container the file exists: stand in for it with a real one and load the worker's configuration.
    const dir = mkdtempSync(join(tmpdir(), 'sts-'));
    try {
      const file = join(dir, 'credentials.json');
      writeFileSync(file, '{}');
      const config = loadWorkerConfig({ ...env(worker), TENCENT_CREDENTIALS_FILE: file, ...NO_CONFIG_FILE });
      assert.equal(config.tencent.credentialsFile, file);
      assert.equal(config.tencent.secretId, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Neither keys nor a file: the worker names both choices instead of starting.
    const neither = resolve(noKeys).compose.services.worker!;
    assert.throws(
      () => loadWorkerConfig({ ...env(neither), ...NO_CONFIG_FILE }),
      (err: unknown) => err instanceof ConfigError && /TENCENT_SECRET_ID.*TENCENT_CREDENTIALS_FILE/s.test(err.message),
    );
    assert.match(read('.env.example'), /TENCENT_CREDENTIALS_FILE=\/run\/tencent-credentials\//);
    assert.match(read('.dockerignore'), /^deploy\/credentials$/m, 'token files never enter the build context');
  });

  it("checks the worker by asking Temporal for this container's pollers, with the script the image ships", () => {
    const test = services.worker!.healthcheck!.test;
    assert.deepEqual(test.slice(0, 3), ['CMD', 'node', '/app/deploy/worker-healthcheck.mjs']);
    assert.ok(existsSync(join(ROOT, 'deploy/worker-healthcheck.mjs')));
    const stage = dockerStages().get('worker')!.lines;
    assert.ok(stage.includes('COPY deploy/worker-healthcheck.mjs ./deploy/'), 'the worker image copies the script');
    assert.match(DOCKERFILE, /^WORKDIR \/app$/m);
    const maxAge = Number(test[test.indexOf('--max-poll-age') + 1]);
    assert.ok(maxAge > 60, 'longer than an idle long poll (about 60 s)');
  });

  it("serves the receiver's health and metrics on a private port of their own", () => {
    const receiver = env(services.receiver!);
    const adminPort = receiver.RECEIVER_ADMIN_PORT;
    assert.ok(adminPort && adminPort !== receiver.RECEIVER_PORT, 'an admin port apart from the callback port');
    assert.equal(healthUrl(services.receiver!).port, adminPort);
    assert.equal(healthUrl(services.receiver!).pathname, '/healthz');
    assert.ok(!services.receiver!.ports!.map(containerPort).includes(Number(adminPort)), 'not published');
    assert.match(DOCKERFILE, new RegExp(`^EXPOSE ${receiver.RECEIVER_PORT} ${adminPort}$`, 'm'));
    const loaded = loadReceiverConfig({ ...NO_CONFIG_FILE, ...receiver });
    assert.deepEqual([loaded.adminHost, loaded.adminPort], [receiver.RECEIVER_ADMIN_HOST, Number(adminPort)]);
  });

  it('lets the one-shot setup steps retry and re-run', () => {
    for (const name of ['temporal-schema', 'temporal-namespace']) {
      assert.match(String((raw.services[name] as { restart?: string }).restart), /^on-failure:\d+$/, name);
    }
    assert.match(read('deploy/temporal/create-namespace.sh'), /retry "create namespace/);
  });
});

describe('.env.example', () => {
  const documented = new Set([...read('.env.example').matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));

  it('documents every variable the compose file references and every one the worker and receiver read', () => {
    const wanted = [...references().all, ...namesReadBy([...WORKER_SOURCES, ...RECEIVER_SOURCES])];
    for (const name of wanted) {
      assert.ok(documented.has(name) || name in VERSIONS, `.env.example or deploy/versions.env documents ${name}`);
    }
    for (const name of Object.keys(VERSIONS)) assert.ok(!documented.has(name), `${name} only in deploy/versions.env`);
    for (const name of Object.keys(envFile('deploy/local.env'))) {
      assert.ok(name === 'COMPOSE_PROFILES' || references().all.has(name), `deploy/local.env: ${name} is used`);
    }
  });

  it('leaves every secret and required value empty', () => {
    const values = envFile('.env.example');
    for (const name of references().required) {
      if (!(name in VERSIONS)) assert.equal(values[name], '', `${name} is empty`);
    }
  });
});

describe('docker-compose config (Docker Compose 1.29 schema and interpolation)', () => {
  const found = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  const skip = found.error ? 'docker-compose is not installed (apt-get install docker-compose)' : false;

  /** Compose 1.29 takes one --env-file: the files are joined in order, as Compose 2 reads several. */
  const run = (...envFiles: string[]): ReturnType<typeof spawnSync> => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-'));
    try {
      writeFileSync(join(dir, 'joined.env'), envFiles.map((f) => (f ? read(f) : '')).join('\n'));
      return spawnSync(
        'docker-compose',
        ['-f', 'docker-compose.yml', '--env-file', join(dir, 'joined.env'), 'config'],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 30_000,
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('accepts the file with the versions and the local settings, as documented', { skip }, () => {
    const result = run('deploy/versions.env', 'deploy/local.env');
    assert.equal(result.status, 0, String(result.stderr));
    const config = parse(String(result.stdout)) as Compose;
    assert.equal(config.services.temporal!.image, `temporalio/server:${VERSIONS.TEMPORAL_VERSION}`);
    assert.equal(config.services.worker!.environment!.NODE_OPTIONS, '--max-old-space-size=1024');
    assert.deepEqual(Object.keys(config.services).sort(), Object.keys(services).sort());
  });

  it('refuses to start without the versions file or the required secrets, naming what is missing', { skip }, () => {
    const noVersions = run('deploy/local.env');
    assert.notEqual(noVersions.status, 0);
    assert.match(String(noVersions.stderr), /set [A-Z_]+_VERSION \(pass --env-file deploy\/versions\.env\)/);
    const noSecrets = run('deploy/versions.env');
    assert.notEqual(noSecrets.status, 0);
    assert.match(String(noSecrets.stderr), /set (POSTGRES_PASSWORD|TENCENT_SECRET_\w+|CI_\w+|CALLBACK_SECRET) /);
  });
});
