import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { LocalServices } from '../../devstack/local-services';
import { silentWav, startEmulator } from '../../src/emulator';
import { activityDepsFromConfig } from '../../src/plugin/activity-deps';
import type { PollSchedule } from '../../src/workflows/transcribe-media/backoff';
import { DEFAULT_POLL_SCHEDULE, pollsForJobDuration } from '../../src/workflows/transcribe-media/backoff';
import { transcribeMedia, transcriptionStatusQuery } from '../../src/workflows';
import type { BenchStack } from '../lib/bench-stack';
import { benchInput } from '../lib/bench-stack';
import { ciCallsBetween } from '../lib/ci-calls';
import { historyCost } from '../lib/history-cost';
import { mapPool, percentile } from '../lib/pool';

/** CI calls of a 10-minute job without callbacks: from the schedule, and from a time-compressed run. */
export interface PollingResult {
  /**
   * Submit + polls from `pollsForJobDuration(DEFAULT_POLL_SCHEDULE, 10 min)`; the poll that sees the job finished
   * carries the result summary, so storing the result makes no further CI call.
   */
  computedCallsPerJob: number;
  computedPolls: number;
  /** The same from a run with the job and the schedule both `scale` times shorter. */
  measuredCallsPerJob: number;
  measuredPollsMedian: number;
  scale: number;
  workflows: number;
  /** A fixed 10 s poll loop for 10 minutes: one submit and 60 polls (the last one carries the result). */
  fixedPoll10sCalls: number;
  /** Mean events between consecutive poll timers in the scaled runs' histories. */
  historyEventsPerPollRound: number;
  /**
   * Temporal Cloud Actions of one 10-minute run without callbacks, read from the scaled runs' histories (median): the
   * schedule is scaled with the job, so a scaled run makes the same kind of commands as the real one; each run is
   * brought to the schedule's number of polls (`computedPolls`) at 2 Actions per round.
   */
  cloudActions10Min: number;
  /** The same before bringing the run to the schedule's number of polls. */
  cloudActions10MinAsMeasured: number;
  cloudActionsByKind10Min: Record<string, number>;
}

const TEN_MINUTES_MS = 10 * 60_000;

function scaled(schedule: PollSchedule, scale: number): PollSchedule {
  return { ...schedule, firstDelayMs: schedule.firstDelayMs / scale, maxIntervalMs: schedule.maxIntervalMs / scale };
}

/** Mean number of history events from one `TimerStarted` to the next, over the given workflows' histories. */
async function eventsPerPollRound(client: Client, workflowIds: readonly string[]): Promise<number> {
  const rounds: number[] = [];
  for (const workflowId of workflowIds) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const timers = events.flatMap((event, index) => (event.timerStartedEventAttributes ? [index] : []));
    for (let i = 1; i < timers.length; i++) rounds.push(timers[i]! - timers[i - 1]!);
  }
  return rounds.reduce((sum, n) => sum + n, 0) / Math.max(1, rounds.length);
}

/**
 * Actions one poll round adds: its timer, and the workflow task the timer wakes, whose check runs as a local activity
 * (or, were it a scheduled activity, one attempt): 2 either way.
 */
const ACTIONS_PER_POLL_ROUND = 2;

/**
 * The median Cloud Actions of the given runs, each brought to `polls` poll rounds (a compressed run can make one poll
 * fewer or more than the schedule gives the real job, as its activities do not shrink with it), and the median run's
 * Actions by kind as measured.
 */
async function medianCloudActions(
  client: Client,
  runs: readonly { workflowId: string; polls: number }[],
  polls: number,
) {
  const costs = [];
  for (const run of runs) {
    const cost = historyCost(await client.workflow.getHandle(run.workflowId).fetchHistory());
    costs.push({ cost, total: cost.cloudActions + ACTIONS_PER_POLL_ROUND * (polls - run.polls) });
  }
  costs.sort((a, b) => a.total - b.total);
  const median = costs[Math.floor((costs.length - 1) / 2)]!;
  return { total: median.total, measured: median.cost.cloudActions, byKind: median.cost.cloudActionsByKind };
}

/**
 * Runs `count` callback-less workflows against a second emulator whose jobs last `10 min / scale`, with the default
 * schedule divided by `scale`, and compares their CI calls with the figure computed from the unscaled schedule.
 */
export async function runPolling(bench: BenchStack, count: number, scale: number): Promise<PollingResult> {
  const services: LocalServices = bench.stack.services;
  const emulator = await startEmulator({
    credentials: { secretId: services.secrets.secretId, secretKey: services.secrets.secretKey },
    defaultBucket: services.bucket,
    defaultRegion: services.region,
    timings: { queuedMs: 0, runningMs: TEN_MINUTES_MS / scale },
    queueConcurrency: count,
  });
  const tencent = { ...services.workerSettings.tencent, endpoint: emulator.url };
  const { deps } = activityDepsFromConfig({ tencent, callbacks: undefined });
  const taskQueue = `bench-poll-${randomUUID()}`;
  const worker = await bench.startTranscriptionWorker(taskQueue, deps);
  const media = 'bench/polling.wav';
  emulator.putObject(services.bucket, media, silentWav(1));
  const schedule = scaled(DEFAULT_POLL_SCHEDULE, scale);
  const polling = {
    firstDelay: schedule.firstDelayMs,
    maxInterval: schedule.maxIntervalMs,
    multiplier: schedule.multiplier,
    jitter: schedule.jitter,
  };
  try {
    const before = emulator.counters();
    const runs = await mapPool(count, count, async (i) => {
      const workflowId = `${taskQueue}-${i}`;
      const handle = await bench.stack.client.workflow.start(transcribeMedia, {
        taskQueue,
        workflowId,
        args: [benchInput(media, `asr/${taskQueue}/${i}.txt`, { polling, callback: { enabled: false } })],
      });
      await handle.result();
      return { workflowId, polls: (await handle.query(transcriptionStatusQuery)).polls };
    });
    const calls = ciCallsBetween(before, emulator.counters());
    const computedPolls = pollsForJobDuration(DEFAULT_POLL_SCHEDULE, TEN_MINUTES_MS);
    const actions = await medianCloudActions(bench.stack.client, runs, computedPolls);
    return {
      cloudActions10Min: actions.total,
      cloudActions10MinAsMeasured: actions.measured,
      cloudActionsByKind10Min: actions.byKind,
      computedPolls,
      computedCallsPerJob: 1 + computedPolls,
      measuredCallsPerJob: calls.total / count,
      measuredPollsMedian: percentile(
        runs.map((run) => run.polls),
        50,
      ),
      scale,
      workflows: count,
      fixedPoll10sCalls: 1 + TEN_MINUTES_MS / 10_000,
      historyEventsPerPollRound: await eventsPerPollRound(
        bench.stack.client,
        runs.slice(0, 5).map((run) => run.workflowId),
      ),
    };
  } finally {
    await worker.stop();
    await emulator.close();
  }
}
