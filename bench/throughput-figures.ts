import type { ReportRow } from './lib/report';
import { round } from './lib/report';
import type { KindFigures, ThroughputResult } from './scenarios/throughput';

/** Goals from issue 17: wall-clock rate ours / baseline, and CPU per workflow baseline / ours. */
const GOALS = { throughputRatio: 0.85, throughputCpuRatio: 0.9 };

function kind(k: KindFigures) {
  return {
    perSecond: round(k.perSecond, 1),
    cpuMsPerWorkflow: round(k.cpuMsPerWorkflow, 1),
    workerClientCpuMsPerWorkflow: round(k.workerClientCpuMsPerWorkflow, 1),
    serverCpuMsPerWorkflow: round(k.serverCpuMsPerWorkflow, 1),
    servicesCpuMsPerWorkflow: round(k.servicesCpuMsPerWorkflow, 1),
    completedByPoll: k.completedByPoll,
    ciCallsPerWorkflow: Object.fromEntries(Object.entries(k.ciCallsPerWorkflow).map(([r, n]) => [r, round(n)])),
  };
}

/** Names of the throughput goals `tp` missed. */
export function throughputGoalsMissed(tp: ThroughputResult): string[] {
  return [
    tp.ratio < GOALS.throughputRatio && 'throughputRatio',
    tp.cpuRatio < GOALS.throughputCpuRatio && 'throughputCpuRatio',
  ].filter((name): name is string => typeof name === 'string');
}

/** Rows and JSON figures of the throughput scenario. */
export function throughputFigures(tp: ThroughputResult): { rows: ReportRow[]; json: Record<string, unknown> } {
  const json = {
    throughputRatio: round(tp.ratio),
    throughputCpuRatio: round(tp.cpuRatio),
    transcribeWorkflowsPerSecond: round(tp.transcribe.perSecond, 1),
    baselineWorkflowsPerSecond: round(tp.baseline.perSecond, 1),
    throughputDetail: {
      workflows: tp.workflows,
      rounds: tp.rounds,
      transcribe: kind(tp.transcribe),
      baseline: kind(tp.baseline),
    },
  };
  const cpu = (k: KindFigures) =>
    `CPU/workflow ${round(k.cpuMsPerWorkflow, 1)} ms: worker+client ${round(k.workerClientCpuMsPerWorkflow, 1)}, ` +
    `server ${round(k.serverCpuMsPerWorkflow, 1)} (emulator+receiver, not counted: ${round(k.servicesCpuMsPerWorkflow, 1)})` +
    (Object.keys(k.ciCallsPerWorkflow).length > 0
      ? `; CI calls ${JSON.stringify(kind(k).ciCallsPerWorkflow)}, ${k.completedByPoll} completed by poll`
      : '');
  const rows: ReportRow[] = [
    {
      figure: `throughput ratio, wall clock (${tp.workflows} concurrent, ${tp.rounds} rounds)`,
      value: `${json.throughputRatio} (${json.transcribeWorkflowsPerSecond}/s vs baseline ${json.baselineWorkflowsPerSecond}/s)`,
      goal: `>= ${GOALS.throughputRatio}`,
      ok: tp.ratio >= GOALS.throughputRatio,
    },
    {
      figure: 'throughput CPU ratio (baseline / ours)',
      value: `${json.throughputCpuRatio} (${round(tp.baseline.cpuMsPerWorkflow, 1)} / ${round(tp.transcribe.cpuMsPerWorkflow, 1)} ms)`,
      goal: `>= ${GOALS.throughputCpuRatio}`,
      ok: tp.cpuRatio >= GOALS.throughputCpuRatio,
    },
    { figure: '  transcribeMedia', value: cpu(tp.transcribe) },
    { figure: '  baseline', value: cpu(tp.baseline) },
  ];
  return { rows, json };
}
