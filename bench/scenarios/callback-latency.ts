import { randomUUID } from 'node:crypto';
import { activityDepsFromConfig } from '../../src/plugin/activity-deps';
import { transcribeMedia } from '../../src/workflows';
import type { BenchStack } from '../lib/bench-stack';
import { benchInput } from '../lib/bench-stack';
import { historyCost } from '../lib/history-cost';
import { ciCallsBetween } from '../lib/ci-calls';
import { mapPool, percentile } from '../lib/pool';
import { startCallbackTimingProxy } from '../lib/timing-proxy';

/** Callback-to-completion latency, CI calls and history size of callback-path runs. */
export interface CallbackPathResult {
  workflows: number;
  concurrency: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  ciCallsPerJob: number;
  ciCallsByRoute: Record<string, number>;
  historyEvents: number;
  /** Temporal Cloud Actions of one run (median over the histories read), and that run's Actions by kind. */
  cloudActions: number;
  cloudActionsByKind: Record<string, number>;
}

/** Runs whose histories are read for the Cloud Actions figure (every run has the same shape; a few suffice). */
const COSTED_RUNS = 10;

/**
 * Runs `count` workflows, `concurrency` at a time, whose callbacks pass through a timing proxy. Latency = the
 * workflow's close time as the server recorded it (describe) minus the moment the first callback reached the proxy.
 * Polling starts after an hour, so every run completes through its callback.
 */
export async function runCallbackPath(bench: BenchStack, count: number, concurrency: number) {
  const { services, client } = bench.stack;
  const proxy = await startCallbackTimingProxy(services.receiver!.url);
  const callbacks = { publicBaseUrl: proxy.url, secret: services.secrets.callbackSecret };
  const { deps } = activityDepsFromConfig({ ...services.workerSettings, callbacks });
  const taskQueue = `bench-cb-${randomUUID()}`;
  const worker = await bench.startTranscriptionWorker(taskQueue, deps);
  const media = `bench/callback-${randomUUID()}.wav`;
  bench.seedMedia(media);
  const before = services.emulator.counters();
  try {
    const samples = await mapPool(count, concurrency, async (i) => {
      const workflowId = `${taskQueue}-${i}`;
      const handle = await client.workflow.start(transcribeMedia, {
        taskQueue,
        workflowId,
        args: [benchInput(media, `asr/${taskQueue}/${i}.txt`, { polling: { firstDelay: '1 hour' } })],
      });
      const result = await handle.result();
      if (result.completedBy !== 'callback') throw new Error(`${workflowId} completed by ${result.completedBy}`);
      const description = await handle.describe();
      const sentAt = proxy.firstCallbackAt.get(workflowId);
      if (!sentAt || !description.closeTime) throw new Error(`${workflowId}: no callback time or close time`);
      return {
        workflowId,
        latencyMs: description.closeTime.getTime() - sentAt,
        events: description.historyLength,
      };
    });
    const costs = [];
    for (const sample of samples.slice(0, COSTED_RUNS)) {
      costs.push(historyCost(await client.workflow.getHandle(sample.workflowId).fetchHistory()));
    }
    costs.sort((a, b) => a.cloudActions - b.cloudActions);
    const medianCost = costs[Math.floor((costs.length - 1) / 2)]!;
    const calls = ciCallsBetween(before, services.emulator.counters());
    const latencies = samples.map((sample) => sample.latencyMs);
    return {
      workflows: count,
      concurrency,
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      latencyMaxMs: Math.max(...latencies),
      ciCallsPerJob: calls.total / count,
      ciCallsByRoute: calls.byRoute,
      historyEvents: percentile(
        samples.map((sample) => sample.events),
        50,
      ),
      cloudActions: medianCost.cloudActions,
      cloudActionsByKind: medianCost.cloudActionsByKind,
    } satisfies CallbackPathResult;
  } finally {
    await worker.stop();
    await proxy.close();
  }
}
