/** What the budget check reads from `workflowInfo()`. */
export interface HistoryFigures {
  historyLength: number;
  historySize: number;
  continueAsNewSuggested: boolean;
}

/**
 * Events and bytes after which a run continues as new even if the server has not suggested it yet: well under the
 * server's hard limits (51 200 events, 50 MB by default), so a burst of messages arriving between two checks cannot
 * reach them.
 */
export const HISTORY_BUDGET = { events: 10_000, bytes: 10 * 1024 * 1024 } as const;

/** Whether the run's history has used its budget and the run should continue as new at its next chance. */
export function historyBudgetSpent(info: HistoryFigures): boolean {
  return (
    info.continueAsNewSuggested ||
    info.historyLength >= HISTORY_BUDGET.events ||
    info.historySize >= HISTORY_BUDGET.bytes
  );
}
