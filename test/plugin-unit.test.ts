/**
 * What TencentCiAsrPlugin does to worker, bundler, replay and client options, without a server: activities added to
 * the user's own (never overwriting), `workflowsPath`/`workflowBundle` left alone, interceptors composed in order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as nexus from 'nexus-rpc';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';
import type { ActivityDeps } from '../src/activities/deps';
import { createActivities } from '../src/activities/create-activities';
import { PluginSetupError, TencentCiAsrPlugin } from '../src';
import type { TencentCiAsrPluginOptions } from '../src';
import { TencentCiAsrClientPlugin } from '../src/client';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../src/observability/worker-options';
import { activityMetricsInterceptor } from '../src/observability/activity-metrics';
import { startTracing } from '../src/observability/tracing';

const unusedDeps: ActivityDeps = {
  ciFor: () => assert.fail('no CI call at configuration time'),
  objects: {
    put: () => assert.fail('no COS call at configuration time'),
    get: () => assert.fail('no COS call at configuration time'),
    list: () => assert.fail('no COS call at configuration time'),
  },
  defaults: { bucket: 'media-1250000000', region: 'ap-guangzhou' },
};
const OUR_ACTIVITIES = Object.keys(createActivities(unusedDeps)).sort();
const tencent = {
  secretId: 'AKIDunit',
  secretKey: 'unit-secret-key',
  bucket: 'media-1250000000',
  region: 'ap-guangzhou',
  endpoint: 'http://127.0.0.1:9',
  requestTimeoutMs: 1_000,
};

/** The plugin's worker options (no connection: the namespace check waits for `runWorker`, not run here). */
async function configure(plugin: TencentCiAsrPlugin, options: Partial<WorkerOptions> = {}): Promise<WorkerOptions> {
  return await plugin.configureWorker({ taskQueue: 'unit', ...options });
}

describe('TencentCiAsrPlugin on a worker', () => {
  it("adds this package's activities to the user's own and keeps the user's workflowsPath", async () => {
    const recordTranscript = () => 'mine';
    const options = await configure(new TencentCiAsrPlugin({ deps: unusedDeps }), {
      activities: { recordTranscript },
      workflowsPath: '/app/workflows.js',
    });
    const activities = options.activities as Record<string, unknown>;
    assert.deepEqual(Object.keys(activities).sort(), [...OUR_ACTIVITIES, 'recordTranscript'].sort());
    assert.equal(activities.recordTranscript, recordTranscript);
    assert.equal(options.workflowsPath, '/app/workflows.js');
    assert.equal(options.workflowBundle, undefined);
  });

  it('sets no workflows of its own: a worker without workflowsPath stays an activity worker', async () => {
    const options = await configure(new TencentCiAsrPlugin({ deps: unusedDeps }));
    assert.equal(options.workflowsPath, undefined);
    assert.equal(options.workflowBundle, undefined);
    const bundled = await configure(new TencentCiAsrPlugin({ deps: unusedDeps }), { workflowBundle: { code: 'x' } });
    assert.deepEqual(bundled.workflowBundle, { code: 'x' });
  });

  it('refuses an activity name both define, naming it, instead of overwriting either', async () => {
    const plugin = new TencentCiAsrPlugin({ deps: unusedDeps });
    await assert.rejects(
      configure(plugin, { activities: { ...createActivities(unusedDeps), mine: () => 1 } }),
      (err: unknown) =>
        err instanceof PluginSetupError &&
        err.name === 'PluginSetupError' &&
        OUR_ACTIVITIES.every((name) => err.message.includes(name)) &&
        !err.message.includes('mine'),
    );
  });

  it('builds the activities from Tencent settings once, shared by every worker it configures', async () => {
    const plugin = new TencentCiAsrPlugin({ tencent });
    const first = (await configure(plugin)).activities as Record<string, unknown>;
    const second = (await configure(plugin)).activities as Record<string, unknown>;
    assert.deepEqual(Object.keys(first).sort(), OUR_ACTIVITIES);
    assert.equal(first.submitJob, second.submitJob);
  });

  it('refuses a worker when it has no dependencies, and deps given together with settings', async () => {
    await assert.rejects(configure(new TencentCiAsrPlugin()), PluginSetupError);
    assert.throws(() => new TencentCiAsrPlugin({ deps: unusedDeps, tencent }), PluginSetupError);
  });

  it("appends its interceptors after the user's, and their workflow modules to bundles and replay workers", async () => {
    const mine: ActivityInterceptorsFactory = () => ({});
    const theirs: ActivityInterceptorsFactory = () => ({});
    const plugin = new TencentCiAsrPlugin({
      deps: unusedDeps,
      interceptors: { worker: { activity: [theirs], workflowModules: ['/tracing/workflow-interceptors.js'] } },
    });
    const ours = [...WORKFLOW_INTERCEPTOR_MODULES];
    const options = await configure(plugin, {
      workflowsPath: '/app/workflows.js',
      interceptors: { activity: [mine], workflowModules: ['/app/wf.js'] },
    });
    // The business metrics come first (outermost), then the user's, then the plugin's extra interceptors.
    assert.deepEqual(options.interceptors?.activity, [activityMetricsInterceptor, mine, theirs]);
    assert.deepEqual(options.interceptors?.workflowModules, [
      '/app/wf.js',
      ...ours,
      '/tracing/workflow-interceptors.js',
    ]);
    // A prebuilt bundle already holds its workflow interceptors: they were added when it was bundled (below).
    const prebuilt = await configure(plugin, { workflowBundle: { code: 'x' }, interceptors: { activity: [mine] } });
    assert.deepEqual(prebuilt.interceptors?.activity, [activityMetricsInterceptor, mine, theirs]);
    assert.equal(prebuilt.interceptors?.workflowModules, undefined);
    const replay = plugin.configureReplayWorker({ workflowsPath: '/app/workflows.js' });
    assert.equal(replay.workflowsPath, '/app/workflows.js');
    assert.deepEqual(replay.interceptors?.workflowModules, [...ours, '/tracing/workflow-interceptors.js']);
    assert.ok(replay.sinks?.exporter, 'replay registers the span sink the bundled interceptors look up');
    const bundle = plugin.configureBundler({ workflowsPath: '/app/workflows.js' });
    assert.equal(bundle.workflowsPath, '/app/workflows.js');
    assert.deepEqual(bundle.workflowInterceptorModules, [...ours, '/tracing/workflow-interceptors.js']);
  });

  it('gives a worker the observability: metrics, span sink, spans', async () => {
    const userSink = { record: { fn: () => undefined } };
    const off = await configure(new TencentCiAsrPlugin({ deps: unusedDeps }), { sinks: { userSink } });
    assert.deepEqual(off.interceptors?.activity, [activityMetricsInterceptor]);
    assert.ok(off.sinks?.exporter, 'the workflow span sink is registered even with tracing off');
    assert.equal(off.sinks?.userSink, userSink, "the user's sinks stay");
    const spans = new InMemorySpanExporter();
    const tracing = startTracing({ serviceName: 'unit', env: {}, spanProcessor: new SimpleSpanProcessor(spans) });
    try {
      assert.ok(tracing.enabled);
      const on = await configure(new TencentCiAsrPlugin({ deps: unusedDeps, tracing }));
      assert.equal(on.interceptors?.activity?.length, 2, 'the OpenTelemetry activity interceptors before the metrics');
      assert.equal(on.interceptors?.activity?.[1], activityMetricsInterceptor);
    } finally {
      void tracing.shutdown();
    }
    // Listing this package's modules yourself does not run its interceptors twice.
    const twice = await configure(
      new TencentCiAsrPlugin({
        deps: unusedDeps,
        interceptors: { worker: { workflowModules: [...WORKFLOW_INTERCEPTOR_MODULES] } },
      }),
      { workflowsPath: '/app/workflows.js' },
    );
    assert.deepEqual(twice.interceptors?.workflowModules, [...WORKFLOW_INTERCEPTOR_MODULES]);
  });
});

describe('TencentCiAsrPlugin and the transcription Nexus service', () => {
  it("serves it only with nexus: true, next to the worker's own services", async () => {
    assert.equal((await configure(new TencentCiAsrPlugin({ deps: unusedDeps }))).nexusServices, undefined);
    const mine = nexus.serviceHandler(nexus.service('mine', {}), {});
    const options = await configure(new TencentCiAsrPlugin({ deps: unusedDeps, nexus: true }), {
      nexusServices: [mine],
    });
    const names = (options.nexusServices ?? []).map((handler) => handler.definition.name);
    assert.deepEqual(names, ['mine', 'transcription']);
  });
});

describe('TencentCiAsrPlugin and Worker Versioning', () => {
  const version = { deploymentName: 'ci-asr', buildId: '0.2.0' };

  it('leaves a worker unversioned without workerDeploymentVersion', async () => {
    const options = await configure(new TencentCiAsrPlugin({ tencent }));
    assert.equal(options.workerDeploymentOptions, undefined);
  });

  it('versions the worker, with AUTO_UPGRADE only for workflows that declare no behaviour (ours are PINNED)', async () => {
    const options = await configure(new TencentCiAsrPlugin({ tencent, workerDeploymentVersion: version }));
    assert.deepEqual(options.workerDeploymentOptions, {
      version,
      useWorkerVersioning: true,
      defaultVersioningBehavior: 'AUTO_UPGRADE',
    });
  });

  it("keeps the worker's own options for the same version, and refuses another version or versioning off", async () => {
    const own = { version, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' } as const;
    const plugin = new TencentCiAsrPlugin({ tencent, workerDeploymentVersion: version });
    assert.deepEqual((await configure(plugin, { workerDeploymentOptions: own })).workerDeploymentOptions, own);
    const other = { ...own, version: { ...version, buildId: '0.1.0' } };
    await assert.rejects(configure(plugin, { workerDeploymentOptions: other }), (err: unknown) => {
      assert.ok(err instanceof PluginSetupError);
      assert.match(err.message, /ci-asr\/0\.2\.0 disagrees with .*ci-asr\/0\.1\.0/);
      return true;
    });
    await assert.rejects(
      configure(plugin, { workerDeploymentOptions: { version, useWorkerVersioning: false } }),
      /versioning off/,
    );
  });
});

describe('TencentCiAsrPlugin on a client', () => {
  it("puts its start checks innermost: after the user's and the composed interceptors", () => {
    const mine: WorkflowClientInterceptor = {};
    const theirs: WorkflowClientInterceptor = {};
    const plugin = new TencentCiAsrPlugin({ interceptors: { client: { workflow: [theirs] } } });
    const options = plugin.configureClient({ interceptors: { workflow: [mine] } });
    const workflow = options.interceptors?.workflow as WorkflowClientInterceptor[];
    assert.equal(workflow.length, 3);
    assert.deepEqual(workflow.slice(0, 2), [mine, theirs]);
    assert.equal(typeof workflow[2]!.startWithDetails, 'function');
    assert.equal(typeof workflow[2]!.signalWithStart, 'function');
  });
});

describe('TencentCiAsrClientPlugin', () => {
  it("adds the same start checks, innermost, after the user's interceptors", () => {
    const mine: WorkflowClientInterceptor = {};
    const options = new TencentCiAsrClientPlugin().configureClient({ interceptors: { workflow: [mine] } });
    const workflow = options.interceptors?.workflow as WorkflowClientInterceptor[];
    assert.equal(workflow.length, 2);
    assert.equal(workflow[0], mine);
    assert.equal(typeof workflow[1]!.startWithDetails, 'function');
    assert.equal(typeof workflow[1]!.startUpdateWithStart, 'function');
  });
});

describe("the plugin's CI quota worker choice", () => {
  it('sends lone runs to the quota queue exactly when the plugin runs a quota worker there', async () => {
    const shared = async (options: TencentCiAsrPluginOptions) => {
      const activities = (await configure(new TencentCiAsrPlugin({ deps: unusedDeps, ...options }))).activities as {
        usesSharedSubmitQueue(): Promise<boolean>;
      };
      return await activities.usesSharedSubmitQueue();
    };
    assert.equal(await shared({}), true);
    assert.equal(await shared({ ciSubmitsPerSecond: 3 }), true);
    assert.equal(await shared({ quotaWorker: false }), false);
    assert.equal(await shared({ ciSubmitsPerSecond: 0 }), false);
    assert.throws(() => new TencentCiAsrPlugin({ deps: unusedDeps, ciSubmitsPerSecond: -1 }), PluginSetupError);
  });
});
