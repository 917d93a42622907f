import type { ReportRow } from './lib/report';
import { machine, round } from './lib/report';
import type { CallbackPathResult } from './scenarios/callback-latency';
import type { PollingResult } from './scenarios/polling';
import type { ThroughputResult } from './scenarios/throughput';
import { throughputFigures, throughputGoalsMissed } from './throughput-figures';
import type { WorkerRssResult } from './scenarios/worker-rss';

/** Everything the scenarios measured, and the sizes they ran with. */
export interface BenchFigures {
  sizes: Record<string, number>;
  /** Callback path with several runs in flight (the reported latency). */
  callbackPath: CallbackPathResult;
  /** Callback path one run at a time. */
  sequential: CallbackPathResult;
  throughput: ThroughputResult;
  polling: PollingResult;
  rss: WorkerRssResult;
}

/** Goals from issues 7 and 17. */
const GOALS = {
  callbackLatencyP99Ms: 250,
  ciCallsPerJobCallback: 2,
  ciCalls10min: 10,
  rssMb: 400,
  /** Issue 23. */
  cloudActionsCallbackPath: 6,
  historyEventsCallbackPath: 20,
};

function jsonFigures(f: BenchFigures) {
  const { callbackPath: cb, sequential: seq, throughput: tp, polling: poll, rss } = f;
  const figures = {
    ...throughputFigures(tp).json,
    callbackLatencyP50Ms: cb.latencyP50Ms,
    callbackLatencyP99Ms: cb.latencyP99Ms,
    callbackLatencyMaxMs: cb.latencyMaxMs,
    callbackLatencyConcurrency: cb.concurrency,
    callbackLatencySequentialP50Ms: seq.latencyP50Ms,
    callbackLatencySequentialP99Ms: seq.latencyP99Ms,
    ciCallsPerJobCallback: round(cb.ciCallsPerJob),
    ciCallsByRouteCallback: cb.ciCallsByRoute,
    ciCallsPerJob10minNoCallback: poll.computedCallsPerJob,
    ciCallsPerJob10minNoCallbackScaledRun: round(poll.measuredCallsPerJob),
    fixedPoll10sCalls10min: poll.fixedPoll10sCalls,
    workerRssMb10kWaiting: round(rss.rssMbAtTarget, 0),
    workerRss10kExtrapolated: rss.extrapolated,
    workerRssPoints: rss.points.map((p) => ({
      waiting: p.waiting,
      rssMb: round(p.rssMb, 0),
      seconds: round(p.seconds, 0),
    })),
    workerRssIdleMb: round(rss.idleRssMb, 0),
    workerRssTuning: rss.tuning,
    ...runCostFigures(cb, poll),
  };
  const goalsMissed = [
    ...throughputGoalsMissed(tp),
    cb.latencyP99Ms > GOALS.callbackLatencyP99Ms && 'callbackLatencyP99Ms',
    cb.ciCallsPerJob > GOALS.ciCallsPerJobCallback && 'ciCallsPerJobCallback',
    poll.computedCallsPerJob > GOALS.ciCalls10min && 'ciCallsPerJob10minNoCallback',
    rss.rssMbAtTarget > GOALS.rssMb && 'workerRssMb10kWaiting',
    cb.cloudActions > GOALS.cloudActionsCallbackPath && 'cloudActionsCallbackPath',
    cb.historyEvents > GOALS.historyEventsCallbackPath && 'historyEventsCallbackPath',
  ].filter((name): name is string => typeof name === 'string');
  return { ...figures, goalsMissed, sizes: f.sizes, machine: machine() };
}

/** The per-run cost figures alone (`npm run bench -- runCost`). */
export function runCostFigures(cb: CallbackPathResult, poll: PollingResult) {
  return {
    historyEventsCallbackPath: cb.historyEvents,
    cloudActionsCallbackPath: cb.cloudActions,
    cloudActionsByKindCallbackPath: cb.cloudActionsByKind,
    cloudActionsPoll10Min: poll.cloudActions10Min,
    cloudActionsPoll10MinScaledRun: poll.cloudActions10MinAsMeasured,
    cloudActionsByKindPoll10Min: poll.cloudActionsByKind10Min,
    historyEventsPerPollRound: round(poll.historyEventsPerPollRound, 1),
    pollsMedianScaledRun: poll.measuredPollsMedian,
    pollsComputed10Min: poll.computedPolls,
    pollScale: poll.scale,
  };
}

function tuningText(rss: WorkerRssResult): string {
  const env = Object.entries(rss.tuning.env).map(([name, value]) => `${name}=${value}`);
  return [...env, ...rss.tuning.nodeArgs].join(' ');
}

/** The table rows and the final JSON object. */
export function buildReport(f: BenchFigures): { rows: ReportRow[]; json: ReturnType<typeof jsonFigures> } {
  const { callbackPath: cb, sequential: seq, throughput: tp, polling: poll, rss } = f;
  const json = jsonFigures(f);
  const rows: ReportRow[] = [
    ...throughputFigures(tp).rows,
    { figure: 'callback latency p50/p99, 1 in flight', value: `${seq.latencyP50Ms} / ${seq.latencyP99Ms} ms` },
    { figure: `callback latency p50, ${cb.concurrency} in flight`, value: `${cb.latencyP50Ms} ms` },
    {
      figure: `callback latency p99, ${cb.concurrency} in flight`,
      value: `${cb.latencyP99Ms} ms (max ${cb.latencyMaxMs})`,
      goal: `<= ${GOALS.callbackLatencyP99Ms} ms`,
      ok: cb.latencyP99Ms <= GOALS.callbackLatencyP99Ms,
    },
    {
      figure: 'CI calls per job, callback path',
      value: `${json.ciCallsPerJobCallback} ${JSON.stringify(cb.ciCallsByRoute)}`,
      goal: `<= ${GOALS.ciCallsPerJobCallback}`,
      ok: cb.ciCallsPerJob <= GOALS.ciCallsPerJobCallback,
    },
    {
      figure: 'CI calls, 10-min job, no callback',
      value: `${poll.computedCallsPerJob} from schedule; ${json.ciCallsPerJob10minNoCallbackScaledRun} in a ${poll.scale}x compressed run (median ${poll.measuredPollsMedian} polls)`,
      goal: `<= ${GOALS.ciCalls10min}`,
      ok: poll.computedCallsPerJob <= GOALS.ciCalls10min,
    },
    { figure: 'CI calls, 10-min job, fixed 10 s poll', value: String(poll.fixedPoll10sCalls) },
    ...rss.points.map((p) => ({
      figure: `worker RSS, ${p.waiting} waiting (measured)`,
      value: `${round(p.rssMb, 0)} MiB after ${round(p.seconds, 0)} s (idle ${json.workerRssIdleMb} MiB)`,
    })),
    {
      figure: `worker RSS, ${rss.target} waiting${rss.extrapolated ? ' (extrapolated)' : ''}`,
      value: `${json.workerRssMb10kWaiting} MiB (${tuningText(rss)})`,
      goal: `<= ${GOALS.rssMb} MiB`,
      ok: rss.rssMbAtTarget <= GOALS.rssMb,
    },
    {
      figure: 'history events, callback path',
      value: String(cb.historyEvents),
      goal: `<= ${GOALS.historyEventsCallbackPath}`,
      ok: cb.historyEvents <= GOALS.historyEventsCallbackPath,
    },
    { figure: 'history events per poll round', value: String(json.historyEventsPerPollRound) },
    {
      figure: 'Temporal Cloud Actions, callback path',
      value: `${cb.cloudActions} ${JSON.stringify(cb.cloudActionsByKind)}`,
      goal: `<= ${GOALS.cloudActionsCallbackPath}`,
      ok: cb.cloudActions <= GOALS.cloudActionsCallbackPath,
    },
    {
      figure: 'Temporal Cloud Actions, 10-min job, no callback',
      value: `${poll.cloudActions10Min} at the schedule's ${poll.computedPolls} polls (${poll.cloudActions10MinAsMeasured} as measured in a ${poll.scale}x compressed run) ${JSON.stringify(poll.cloudActionsByKind10Min)}`,
    },
  ];
  return { rows, json };
}
