import type { ReportRow } from './lib/report';
import type { BatchBenchResult, BatchRunFigures } from './scenarios/batch10k';

/** CPU per item of every measured process together (server, both workers, this process), ms. */
function totalCpu(f: BatchRunFigures): number {
  return Object.values(f.cpuMsPerItem).reduce((sum, ms) => sum + ms, 0);
}

/** Rows and JSON figures of the batch scenario (`batch10k`). */
export function batchFigures(r: BatchBenchResult): { rows: ReportRow[]; json: Record<string, unknown> } {
  const { small, large, settings } = r;
  const growth = (pick: (f: BatchRunFigures) => number) => Math.round((pick(large) / pick(small)) * 100) / 100;
  const json = {
    batch10kSeconds: large.seconds,
    batchItemsPerSecond: large.itemsPerSecond,
    batchPeakCiConcurrency: large.peakCiConcurrency,
    batchCiConcurrencyCap: settings.ciConcurrency,
    batchLostItems: large.lostItems,
    batchDuplicateJobs: large.duplicateJobs,
    batchMaxHistoryEvents: large.maxHistoryEvents,
    batchPeakWorkerRssMb: large.peakWorkerRssMb,
    batchCpuMsPerItem: totalCpu(large),
    batchCiCallsPerItem: large.ciCallsPerItem,
    batchDetail: {
      settings,
      small,
      large,
      // large / small: time should grow with the items, history and memory should not.
      growth: {
        items: growth((f) => f.items),
        seconds: growth((f) => f.seconds),
        maxHistoryEvents: growth((f) => f.maxHistoryEvents),
        peakWorkerRssMb: growth((f) => f.peakWorkerRssMb),
        cpuMsPerItem: growth(totalCpu),
        ciListCallsPerItem: growth((f) => f.ciCallsPerItem['GET /asr_jobs'] ?? 0),
      },
    },
  };
  const row = (f: BatchRunFigures) => ({
    figure: `batch of ${f.items}: time, items/s`,
    value: `${f.seconds} s, ${f.itemsPerSecond}/s (${f.runs} runs, ${f.throttledSubmits} submits throttled, ${f.failedItems} failed)`,
  });
  const cost = (f: BatchRunFigures) => ({
    figure: `batch of ${f.items}: cost per item`,
    value:
      `CPU ${totalCpu(f)} ms ${JSON.stringify(f.cpuMsPerItem)}; CI calls ${JSON.stringify(f.ciCallsPerItem)}; ` +
      `item ${f.history.itemEvents} events / ${f.history.itemWorkflowTasks} workflow tasks / ` +
      `${f.history.itemUpserts} upserts; batch ${f.history.batchEventsPerItem} events`,
  });
  const rows: ReportRow[] = [
    row(small),
    row(large),
    cost(small),
    cost(large),
    {
      figure: 'batch peak CI jobs unfinished (emulator)',
      value: `${large.peakCiConcurrency} (1k: ${small.peakCiConcurrency})`,
      goal: `<= ${settings.ciConcurrency}`,
      ok: Math.max(large.peakCiConcurrency, small.peakCiConcurrency) <= settings.ciConcurrency,
    },
    {
      figure: 'batch lost items / duplicate jobs',
      value: `${large.lostItems} / ${large.duplicateJobs} (1k: ${small.lostItems} / ${small.duplicateJobs})`,
      goal: '0 / 0',
      ok: large.lostItems + large.duplicateJobs + small.lostItems + small.duplicateJobs === 0,
    },
    {
      figure: 'batch largest run history (events)',
      value: `${large.maxHistoryEvents} (1k: ${small.maxHistoryEvents})`,
    },
    { figure: 'batch peak worker RSS', value: `${large.peakWorkerRssMb} MiB (1k: ${small.peakWorkerRssMb} MiB)` },
  ];
  return { rows, json };
}
