import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { activityDepsFromConfig } from '../../src/plugin/activity-deps';
import type { CiCallbackSignal } from '../../src/workflows';
import { ciCallbackSignal, ciCallbackUpdate, transcribeMedia, transcriptionStatusQuery } from '../../src/workflows';
import type { BenchStack } from '../lib/bench-stack';
import { benchInput } from '../lib/bench-stack';
import { mapPool, percentile, waitFor } from '../lib/pool';
import type { ReportRow } from '../lib/report';
import { round } from '../lib/report';
import { startFlooder } from '../lib/flooder';
import { startReceiverProcess } from '../lib/service-processes';
import { startCallbackTimingProxy } from '../lib/timing-proxy';
import type { CallbackStages } from '../lib/callback-stages';
import { callbackStages, firstStatuses, summariseStages } from '../lib/callback-stages';

/** What the flood measured. */
export interface ReceiverFloodResult {
  seconds: number;
  requests: number;
  entries: number;
  /** Requests answered per second, by status. */
  statuses: Record<string, number>;
  answeredPerSecond: number;
  /** Requests per second answered with anything but 200 (refused or rate limited). */
  refusedPerSecond: number;
  historyEventsPer10kForged: number;
  genuineRuns: number;
  genuineLatencyP50Ms: number;
  genuineLatencyP99Ms: number;
  genuineLatencyMaxMs: number;
  /** Where the genuine callbacks' latency went: p50, p99 and max of each stage (see `CallbackStages`). */
  genuineStages: Record<string, [number, number, number]>;
  /** Genuine callbacks by the status their first request was answered with (CI retries after a non-2xx). */
  genuineFirstStatuses: Record<string, number>;
  healthAfter: number;
  /**
   * Entries the receiver could not hand to Temporal (answered 503), any run: count by gRPC code and the longest time a
   * failed call took. Read from the receiver's `callback delivery failed` log lines.
   */
  deliveryFailures: { byGrpcCode: Record<string, number>; maxAfterMs: number };
  /** History events per forged entry sent straight to a run, as the signal and as the update. */
  signalEventsPerForgedEntry: number;
  updateEventsPerForgedEntry: number;
}

/** Goal of issue 13. */
const GOALS = { historyEventsPer10kForged: 0, genuineLatencyP99Ms: 250 };

const forgedId = (): string => `s${randomUUID().replace(/-/g, '')}`;

function floodBody(i: number, jobId: string, tag: string): { body: string; contentType: string } {
  const entries = Array.from({ length: 100 }, (_, k) =>
    i % 3 === 2
      ? { jobId, state: 'Running', tag }
      : { jobId: forgedId(), state: k % 2 ? 'Success' : 'Failed', tag: i % 3 ? tag : undefined },
  );
  if (i % 2) {
    const details = entries.map((e) => ({
      JobId: e.jobId,
      State: e.state,
      Operation: e.tag ? { UserData: e.tag } : {},
    }));
    return { body: JSON.stringify({ EventName: 'TaskFinish', JobsDetail: details }), contentType: 'application/json' };
  }
  const xml = entries.map(
    (e) =>
      `<JobsDetail><JobId>${e.jobId}</JobId><State>${e.state}</State><Operation>${e.tag ? `<UserData>${e.tag}</UserData>` : ''}</Operation></JobsDetail>`,
  );
  return {
    body: `<Response><EventName>TaskFinish</EventName>${xml.join('')}</Response>`,
    contentType: 'application/xml',
  };
}

async function events(bench: BenchStack, workflowId: string): Promise<number> {
  return (await bench.stack.client.workflow.getHandle(workflowId).describe()).historyLength;
}

/** Forged entries sent straight to a held run, as `count` signals and as `count` updates: events added by each. */
async function directComparison(bench: BenchStack, workflowId: string, count: number) {
  const handle = bench.stack.client.workflow.getHandle(workflowId);
  const payload = (): CiCallbackSignal => ({
    jobId: forgedId(),
    state: 'Success',
    receivedAt: new Date().toISOString(),
  });
  const beforeUpdates = await events(bench, workflowId);
  for (let i = 0; i < count; i++) {
    await handle.executeUpdate(ciCallbackUpdate, { args: [payload()] }).then(
      () => {
        throw new Error('a forged update was accepted');
      },
      (err: unknown) => {
        if (!(err instanceof WorkflowUpdateFailedError)) throw err;
      },
    );
  }
  const afterUpdates = await events(bench, workflowId);
  for (let i = 0; i < count; i++) await handle.signal(ciCallbackSignal, payload());
  // Let the worker take the signals so their workflow tasks are counted too.
  await waitFor(
    'the signals to be handled',
    async () => (await handle.query(transcriptionStatusQuery)).callbacksReceived >= count,
    60_000,
  );
  const afterSignals = await events(bench, workflowId);
  return { update: (afterUpdates - beforeUpdates) / count, signal: (afterSignals - afterUpdates) / count };
}

function summariseFailures(lines: Record<string, unknown>[]): ReceiverFloodResult['deliveryFailures'] {
  const byGrpcCode: Record<string, number> = {};
  for (const line of lines) byGrpcCode[String(line.grpcCode)] = (byGrpcCode[String(line.grpcCode)] ?? 0) + 1;
  return { byGrpcCode, maxAfterMs: Math.max(0, ...lines.map((line) => Number(line.afterMs) || 0)) };
}

/**
 * One valid callback URL flooded for `seconds` (100 entries per request: forged ids with and without the job tag,
 * replays of the real job's entry, XML and JSON) by `concurrency` clients, while `genuine` other runs complete by
 * their own callbacks through a timing proxy.
 */
export async function runReceiverFlood(
  bench: BenchStack,
  opts: { seconds: number; concurrency: number; genuine: number },
) {
  const { services, client } = bench.stack;
  // The receiver in a process of its own, as deployed: the flood it answers does not run on the worker's event loop.
  const receiver = await startReceiverProcess({
    temporal: bench.stack.temporal,
    callbackSecret: services.secrets.callbackSecret,
  });
  const proxy = await startCallbackTimingProxy(receiver.url);
  const { deps } = activityDepsFromConfig({
    ...services.workerSettings,
    callbacks: { publicBaseUrl: proxy.url, secret: services.secrets.callbackSecret },
  });
  const taskQueue = `bench-flood-${randomUUID()}`;
  const worker = await bench.startTranscriptionWorker(taskQueue, deps);
  const held = `p${randomUUID().replace(/-/g, '')}`;
  // The emulator refuses queues it does not know, as CI does.
  services.emulator.addQueue(undefined, held);
  services.emulator.setFaults({ pausedQueues: [held] });
  const media = `bench/flood-${randomUUID()}.wav`;
  bench.seedMedia(media);
  try {
    const startHeld = async (name: string) => {
      const handle = await client.workflow.start(transcribeMedia, {
        taskQueue,
        workflowId: `${taskQueue}-${name}`,
        args: [benchInput(media, `asr/${taskQueue}/${name}.txt`, { queueId: held, polling: { firstDelay: '1 hour' } })],
      });
      let jobId: string | undefined;
      await waitFor(
        'the held job id',
        async () => (jobId = (await handle.query(transcriptionStatusQuery)).jobId) !== undefined,
        60_000,
        50,
      );
      const jobs = (await fetch(`${services.emulator.url}/_emulator/jobs`).then((r) => r.json())) as {
        jobId: string;
        userData: string;
        callbackUrl: string;
      }[];
      const job = jobs.find((j) => j.jobId === jobId)!;
      const url = new URL(job.callbackUrl);
      return {
        workflowId: handle.workflowId,
        jobId: job.jobId,
        tag: job.userData,
        url: `${receiver.url}${url.pathname}${url.search}`,
      };
    };
    const target = await startHeld('target');
    const before = await events(bench, target.workflowId);
    // Bodies are made up front; the flood runs in its own process so it does not share the measured event loop.
    const bodies = Array.from({ length: 60 }, (_, i) => floodBody(i, target.jobId, target.tag));
    const flooder = await startFlooder({ url: target.url, bodies, concurrency: opts.concurrency });
    const started = performance.now();
    const genuineRuns = mapPool(opts.genuine, 4, async (i) => {
      const handle = await client.workflow.start(transcribeMedia, {
        taskQueue,
        workflowId: `${taskQueue}-genuine-${i}`,
        args: [benchInput(media, `asr/${taskQueue}/genuine-${i}.txt`, { polling: { firstDelay: '1 hour' } })],
      });
      const result = await handle.result();
      if (result.completedBy !== 'callback') throw new Error(`${handle.workflowId} completed by ${result.completedBy}`);
      const closeTime = (await handle.describe()).closeTime;
      const sentAt = proxy.firstCallbackAt.get(handle.workflowId);
      if (!sentAt || !closeTime) throw new Error(`${handle.workflowId}: no callback time or close time`);
      const stages = callbackStages(proxy.attempts.get(handle.workflowId) ?? [], await handle.fetchHistory());
      return { latencyMs: closeTime.getTime() - sentAt, stages };
    });
    const genuine = await genuineRuns;
    const latencies = genuine.map((run) => run.latencyMs);
    const stages: CallbackStages[] = genuine.map((run) => run.stages);
    const remaining = started + opts.seconds * 1000 - performance.now();
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
    const { requests, statuses } = await flooder.stop();
    const seconds = (performance.now() - started) / 1000;
    const added = (await events(bench, target.workflowId)) - before;
    const healthAfter = (await fetch(`${receiver.adminUrl}/healthz`)).status;
    const twin = await startHeld('direct');
    const direct = await directComparison(bench, twin.workflowId, 100);
    const refused = requests - (statuses[200] ?? 0);
    return {
      seconds: round(seconds, 1),
      requests,
      entries: requests * 100,
      statuses,
      answeredPerSecond: round(requests / seconds, 0),
      refusedPerSecond: round(refused / seconds, 0),
      historyEventsPer10kForged: round((added / (requests * 100)) * 10_000, 2),
      genuineRuns: opts.genuine,
      genuineLatencyP50Ms: percentile(latencies, 50),
      genuineLatencyP99Ms: percentile(latencies, 99),
      genuineLatencyMaxMs: Math.max(...latencies),
      genuineStages: summariseStages(stages),
      genuineFirstStatuses: firstStatuses(stages),
      healthAfter,
      deliveryFailures: summariseFailures(receiver.deliveryFailures()),
      signalEventsPerForgedEntry: round(direct.signal, 2),
      updateEventsPerForgedEntry: round(direct.update, 2),
    } satisfies ReceiverFloodResult;
  } finally {
    services.emulator.setFaults({ pausedQueues: [] });
    await worker.stop();
    await proxy.close();
    await receiver.stop();
  }
}

/** Table rows and JSON figures of the flood scenario. */
export function receiverFloodReport(r: ReceiverFloodResult): { rows: ReportRow[]; json: Record<string, unknown> } {
  const rows: ReportRow[] = [
    {
      figure: `receiverFlood: requests answered, ${r.seconds} s`,
      value: `${r.answeredPerSecond}/s (${r.refusedPerSecond}/s refused or limited) ${JSON.stringify(r.statuses)}`,
    },
    {
      figure: 'receiverFlood: history events per 10,000 forged entries',
      value: `${r.historyEventsPer10kForged} (${r.entries} entries)`,
      goal: `${GOALS.historyEventsPer10kForged}`,
      ok: r.historyEventsPer10kForged <= GOALS.historyEventsPer10kForged,
    },
    {
      figure: `receiverFlood: genuine callback latency p50/p99 (${r.genuineRuns} runs)`,
      value: `${r.genuineLatencyP50Ms} / ${r.genuineLatencyP99Ms} ms (max ${r.genuineLatencyMaxMs})`,
      goal: `p99 <= ${GOALS.genuineLatencyP99Ms} ms`,
      ok: r.genuineLatencyP99Ms <= GOALS.genuineLatencyP99Ms,
    },
    {
      figure: 'receiverFlood: genuine callback stages p50/p99/max (ms)',
      value: `${JSON.stringify(r.genuineStages)}; first answers ${JSON.stringify(r.genuineFirstStatuses)}`,
    },
    {
      figure: 'receiverFlood: entries answered 503, by gRPC code',
      value: `${JSON.stringify(r.deliveryFailures.byGrpcCode)} (slowest failure ${r.deliveryFailures.maxAfterMs} ms)`,
    },
    {
      figure: 'receiverFlood: events per forged entry, signal vs update',
      value: `${r.signalEventsPerForgedEntry} vs ${r.updateEventsPerForgedEntry}`,
    },
  ];
  const missed = [
    r.historyEventsPer10kForged > GOALS.historyEventsPer10kForged && 'historyEventsPer10kForged',
    r.genuineLatencyP99Ms > GOALS.genuineLatencyP99Ms && 'genuineLatencyP99Ms',
    r.healthAfter !== 200 && 'healthAfter',
  ].filter((name): name is string => typeof name === 'string');
  return { rows, json: { ...r, goalsMissed: missed } };
}
