/**
 * Static checks of the `observability` compose profile (no Docker engine here): its services are profiled and pinned,
 * the files they mount exist and agree with each other (scrape targets on the ports the worker and receiver serve,
 * collector pipeline to Jaeger, provisioned datasource and dashboard), and every dashboard query names a metric the
 * code emits.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { WorkerMetric } from '../src/observability/metric-names';

const ROOT = join(__dirname, '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
}
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes: object };
const OBSERVABILITY = ['otel-collector', 'jaeger', 'prometheus', 'grafana'];

interface Dashboard {
  uid: string;
  panels: { title: string; type: string; datasource: { uid: string }; targets: { expr: string }[] }[];
}
const DASHBOARD_PATH = 'deploy/observability/grafana/dashboards/ci-asr-transcriptions.json';
const dashboard = JSON.parse(read(DASHBOARD_PATH)) as Dashboard;

/** Host side of a `./host:/container[:ro]` bind mount. */
function hostPath(volume: string): string | undefined {
  return volume.startsWith('./') ? volume.split(':')[0] : undefined;
}

describe('the observability compose profile', () => {
  it('has its four services, only under the profile, with pinned images', () => {
    for (const name of OBSERVABILITY) {
      const service = compose.services[name];
      assert.ok(service, name);
      assert.deepEqual(service.profiles, ['observability'], name);
      // Pinned in deploy/versions.env (test/compose.test.ts checks each variable is set there).
      assert.match(service.image ?? '', /:\$\{[A-Z_]+_VERSION:\?/, `${name} image pinned through versions.env`);
      assert.ok(!/:latest$/.test(service.image ?? ''), name);
      for (const dep of Object.keys(service.depends_on ?? {}))
        assert.ok(OBSERVABILITY.includes(dep), `${name}: ${dep}`);
    }
    for (const [name, service] of Object.entries(compose.services)) {
      if (!OBSERVABILITY.includes(name)) assert.ok(!service.profiles?.includes('observability'), name);
    }
  });

  it('mounts files that exist, read-only, and publishes UIs on loopback by default', () => {
    for (const name of OBSERVABILITY) {
      for (const volume of compose.services[name]!.volumes ?? []) {
        const host = hostPath(volume);
        if (host === undefined) continue;
        assert.ok(existsSync(join(ROOT, host)), `${name} mounts ${host}`);
        assert.ok(volume.endsWith(':ro'), `${name}: ${volume} read-only`);
      }
      for (const port of compose.services[name]!.ports ?? []) assert.match(port, /^'?\$\{PUBLISH_IP:-127\.0\.0\.1\}:/);
    }
    assert.ok('prometheus-data' in compose.volumes && 'grafana-data' in compose.volumes);
  });

  it('scrapes the worker on its SDK metrics port and the receiver on its port', () => {
    const prometheus = parse(read('deploy/observability/prometheus.yml')) as {
      scrape_configs: {
        job_name: string;
        dns_sd_configs?: { names: string[]; port: number }[];
        static_configs?: { targets: string[] }[];
      }[];
    };
    const worker = prometheus.scrape_configs.find((c) => c.job_name === 'ci-asr-worker')!;
    const bind = compose.services.worker!.environment!.WORKER_METRICS_BIND_ADDRESS!;
    assert.deepEqual(worker.dns_sd_configs?.[0]?.names, ['worker']);
    assert.equal(String(worker.dns_sd_configs?.[0]?.port), bind.split(':').at(-1));
    const receiver = prometheus.scrape_configs.find((c) => c.job_name === 'ci-asr-receiver')!;
    const [host, port] = receiver.static_configs![0]!.targets[0]!.split(':');
    assert.equal(host, 'receiver');
    assert.ok(compose.services.receiver, 'the receiver service exists');
    // /metrics is served on the receiver's private admin port only (the public port answers 404 there).
    const receiverEnv = compose.services.receiver.environment as Record<string, unknown>;
    assert.equal(port, String(receiverEnv.RECEIVER_ADMIN_PORT));
  });

  it('sends traces from the collector to Jaeger over OTLP', () => {
    const config = parse(read('deploy/observability/otel-collector.yaml')) as {
      receivers: { otlp: { protocols: { http: { endpoint: string } } } };
      exporters: Record<string, { endpoint: string }>;
      service: { pipelines: { traces: { receivers: string[]; exporters: string[] } } };
    };
    assert.match(config.receivers.otlp.protocols.http.endpoint, /:4318$/);
    const { traces } = config.service.pipelines;
    assert.deepEqual(traces.receivers, ['otlp']);
    for (const exporter of traces.exporters) assert.ok(config.exporters[exporter], exporter);
    assert.equal(config.exporters[traces.exporters[0]!]!.endpoint, 'jaeger:4317');
    assert.equal(compose.services.jaeger!.environment!.COLLECTOR_OTLP_ENABLED, 'true');
  });

  it('provisions the Prometheus datasource and the dashboard that Grafana opens at home', () => {
    const datasources = parse(read('deploy/observability/grafana/provisioning/datasources/prometheus.yaml')) as {
      datasources: { uid: string; url: string }[];
    };
    const prometheus = datasources.datasources.find((d) => d.uid === 'prometheus')!;
    assert.equal(prometheus.url, 'http://prometheus:9090');
    const providers = parse(read('deploy/observability/grafana/provisioning/dashboards/ci-asr.yaml')) as {
      providers: { options: { path: string } }[];
    };
    const path = providers.providers[0]!.options.path;
    const grafana = compose.services.grafana!;
    assert.ok(grafana.volumes!.some((v) => v === `./deploy/observability/grafana/dashboards:${path}:ro`));
    assert.equal(grafana.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH, `${path}/ci-asr-transcriptions.json`);
    for (const panel of dashboard.panels) assert.equal(panel.datasource.uid, 'prometheus', panel.title);
  });

  it('has the four panels the issue asks for, each querying metrics the code emits', () => {
    const titles = dashboard.panels.map((p) => p.title);
    for (const title of [
      'Jobs by outcome',
      'Callback vs poll',
      'Submit-to-result latency',
      'CI errors by code and action',
    ]) {
      assert.ok(titles.includes(title), title);
    }
    const emitted = new Set<string>(Object.values(WorkerMetric));
    const receiverSource = read('src/receiver/metrics.ts');
    for (const panel of dashboard.panels) {
      assert.ok(panel.targets.length > 0, panel.title);
      for (const { expr } of panel.targets) {
        for (const [name] of expr.matchAll(/\bci_[a-z_]+/g)) {
          const base = name.replace(/_(bucket|sum|count)$/, '');
          const known = emitted.has(base) || receiverSource.includes(`'${base}'`);
          assert.ok(known, `${panel.title}: ${name} is not emitted by the worker or the receiver`);
        }
      }
    }
  });
});
