import type { HistoryScan } from '../../devstack/history-scan';
import type { WorkerSupervisor } from './supervisor';
import type { RunVerdict } from './verify';
import type { BatchVerdict } from './verify-batches';

/** Correct and started runs of each phase, and how they closed, e.g. `{ kills: '198/200 (COMPLETED 198, FAILED 2)' }`. */
function perPhase(verdicts: readonly (RunVerdict | BatchVerdict)[]): Record<string, string> {
  const phases = new Map<string, { started: number; ok: number; statuses: Map<string, number> }>();
  for (const verdict of verdicts) {
    const entry = phases.get(verdict.phase) ?? { started: 0, ok: 0, statuses: new Map<string, number>() };
    phases.set(verdict.phase, entry);
    entry.started += 1;
    if (verdict.problems.length === 0) entry.ok += 1;
    entry.statuses.set(verdict.status, (entry.statuses.get(verdict.status) ?? 0) + 1);
  }
  return Object.fromEntries(
    [...phases].map(([name, { started, ok, statuses }]) => {
      const closed = [...statuses].map(([status, n]) => `${status} ${n}`).join(', ');
      return [name, `${ok}/${started} (${closed})`];
    }),
  );
}

/**
 * The figures of one chaos run. Must be 0: `unrecordedDuplicateJobs`, `orphanedJobs`, `lostResults` (runs and
 * batches that did not end as they must), `successesLost`, `batchesHung`, `batchItemsUnaccounted`,
 * `rerunItemsNotTranscribed`, `workerCrashes` (exits the supervisors did not cause, the harness's server outages
 * aside), `secretLeaks`, `replayFailures`; `pass` says whether they all are.
 */
export function summarize(
  verdicts: readonly RunVerdict[],
  batches: readonly BatchVerdict[],
  scan: HistoryScan,
  supervisors: readonly WorkerSupervisor[],
) {
  const failed = verdicts.filter((verdict) => verdict.problems.length > 0);
  const failedBatches = batches.filter((verdict) => verdict.problems.length > 0);
  const count = (pick: (verdict: RunVerdict) => number) => verdicts.reduce((sum, verdict) => sum + pick(verdict), 0);
  const inBatches = (pick: (verdict: BatchVerdict) => number) => batches.reduce((sum, v) => sum + pick(v), 0);
  const bySupervisors = (pick: (supervisor: WorkerSupervisor) => number) =>
    supervisors.reduce((sum, supervisor) => sum + pick(supervisor), 0);
  const summary = {
    started: verdicts.length,
    completed: verdicts.length - failed.length,
    duplicateJobs: count((verdict) => Math.max(0, verdict.jobs - 1)),
    cancelledDuplicateJobs: count((verdict) => verdict.cancelledDuplicates),
    recordedDuplicates: count((verdict) => verdict.recordedDuplicates),
    unrecordedDuplicateJobs: count((verdict) => verdict.unrecordedDuplicates),
    orphanedJobs: count((verdict) => verdict.orphanedJobs),
    resultsKeptAtDeadline: count((verdict) => verdict.keptAtDeadline),
    successesKeptOnCancel: count((verdict) => verdict.keptOnCancel),
    successesKeptWithoutResult: count((verdict) => verdict.successesKept),
    successesLost: count((verdict) => verdict.successesLost),
    lostResults: failed.length + failedBatches.length,
    batchesStarted: batches.length,
    batchesCompleted: batches.length - failedBatches.length,
    batchesHung: inBatches((verdict) => verdict.hung),
    batchItemsUnaccounted: inBatches((verdict) => verdict.itemsUnaccounted),
    rerunItemsNotTranscribed: inBatches((verdict) => verdict.rerunItemsNotTranscribed),
    secretLeaks: scan.leaks.length,
    replayFailures: scan.replayFailures.length,
    completedByCallback: count((verdict) => (verdict.completedBy === 'callback' ? 1 : 0)),
    completedByPoll: count((verdict) => (verdict.completedBy === 'poll' ? 1 : 0)),
    workerKills: bySupervisors((supervisor) => supervisor.kills),
    workerStarts: bySupervisors((supervisor) => supervisor.starts),
    workerCrashes: bySupervisors((supervisor) => supervisor.crashes),
    workerExitsInOutages: bySupervisors((supervisor) => supervisor.exitsInOutages),
    phases: perPhase([...verdicts, ...batches]),
    // The rare kinds first: a few failed runs must not hide a leak, a replay failure or a crash.
    problems: [
      ...scan.leaks,
      ...scan.replayFailures,
      ...supervisors.flatMap((supervisor) => supervisor.crashReports.map((tail) => `worker crash: ${tail}`)),
      ...[...failedBatches, ...failed].map((f) => `${f.workflowId}: ${f.problems.join('; ')}`),
    ].slice(0, 20),
  };
  const mustBeZero = [
    summary.unrecordedDuplicateJobs,
    summary.orphanedJobs,
    summary.lostResults,
    summary.successesLost,
    summary.batchesHung,
    summary.batchItemsUnaccounted,
    summary.rerunItemsNotTranscribed,
    summary.workerCrashes,
    summary.secretLeaks,
    summary.replayFailures,
  ];
  const pass = summary.completed === summary.started && mustBeZero.every((figure) => figure === 0);
  return { ...summary, pass };
}
