import type { ReportRow } from './lib/report';
import { machine, round } from './lib/report';
import type { CallbackPathResult } from './scenarios/callback-latency';
import type { PollingResult } from './scenarios/polling';
import type { ThroughputResult } from './scenarios/throughput';
import type { WorkerRssResult } from './scenarios/worker-rss';

/** Everything the scenarios measured, and the sizes they ran with. */
export interface BenchFigures {
  sizes: Record<string, number>;
  callbackPath: CallbackPathResult;
  throughput: ThroughputResult;
  polling: PollingResult;
  rss: WorkerRssResult;
}

/** Goals from issue 7. */
const GOALS = {
  throughputRatio: 0.8,
  callbackLatencyP99Ms: 250,
  ciCallsPerJobCallback: 2,
  ciCalls10min: 10,
  rssMb: 400,
};

/** The table rows and the final JSON object. */
export function buildReport(f: BenchFigures): { rows: ReportRow[]; json: Record<string, unknown> } {
  const { callbackPath: cb, throughput: tp, polling: poll, rss } = f;
  const json = {
    throughputRatio: round(tp.ratio),
    transcribeWorkflowsPerSecond: round(tp.transcribePerSecond, 1),
    baselineWorkflowsPerSecond: round(tp.baselinePerSecond, 1),
    throughputWorkflows: tp.workflows,
    callbackLatencyP50Ms: cb.latencyP50Ms,
    callbackLatencyP99Ms: cb.latencyP99Ms,
    callbackLatencyMaxMs: cb.latencyMaxMs,
    ciCallsPerJobCallback: round(cb.ciCallsPerJob),
    ciCallsByRouteCallback: cb.ciCallsByRoute,
    ciCallsPerJob10minNoCallback: poll.computedCallsPerJob,
    ciCallsPerJob10minNoCallbackScaledRun: round(poll.measuredCallsPerJob),
    pollScale: poll.scale,
    fixedPoll10sCalls10min: poll.fixedPoll10sCalls,
    workerRssMb10kWaiting: round(rss.rssMb, 0),
    workerRssWaitingWorkflows: rss.waitingWorkflows,
    workerRssIdleMb: round(rss.idleRssMb, 0),
    workerRssStartSeconds: round(rss.startSeconds, 0),
    historyEventsCallbackPath: cb.historyEvents,
    historyEventsPerPollRound: round(poll.historyEventsPerPollRound, 1),
    sizes: f.sizes,
    machine: machine(),
  };
  const rows: ReportRow[] = [
    {
      figure: `throughput ratio (${tp.workflows} concurrent)`,
      value: `${json.throughputRatio} (${json.transcribeWorkflowsPerSecond}/s vs baseline ${json.baselineWorkflowsPerSecond}/s)`,
      goal: `>= ${GOALS.throughputRatio}`,
      ok: tp.ratio >= GOALS.throughputRatio,
    },
    { figure: 'callback latency p50', value: `${cb.latencyP50Ms} ms` },
    {
      figure: 'callback latency p99',
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
      value: `${poll.computedCallsPerJob} from schedule; ${json.ciCallsPerJob10minNoCallbackScaledRun} in a ${poll.scale}x compressed run`,
      goal: `<= ${GOALS.ciCalls10min}`,
      ok: poll.computedCallsPerJob <= GOALS.ciCalls10min,
    },
    { figure: 'CI calls, 10-min job, fixed 10 s poll', value: String(poll.fixedPoll10sCalls) },
    {
      figure: `worker RSS, ${rss.waitingWorkflows} waiting`,
      value: `${json.workerRssMb10kWaiting} MiB (idle ${json.workerRssIdleMb}; all waiting after ${json.workerRssStartSeconds} s)`,
      goal: `<= ${GOALS.rssMb} MiB`,
      ok: rss.rssMb <= GOALS.rssMb,
    },
    { figure: 'history events, callback path', value: String(cb.historyEvents) },
    { figure: 'history events per poll round', value: String(json.historyEventsPerPollRound) },
  ];
  return { rows, json };
}
