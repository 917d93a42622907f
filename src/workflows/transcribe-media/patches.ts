/**
 * `patched()` ids of transcribeMedia: each marks a change of the command sequence, so histories of runs that began
 * before it replay unchanged. Never rename one while a run that took it may still be open (docs/upgrading.md).
 */

/**
 * Marks runs that check once more at the deadline, keep the check-and-store non-cancellable, record duplicates and
 * clean up after every failure. Decided once per run.
 */
export const NO_BILLED_JOB_LEFT_BEHIND = 'no-billed-job-left-behind';

/** The history-budget check on every wake (histories recorded before it never had that wake-up). */
export const HISTORY_BUDGET_PATCH = 'history-budget-every-wake';

/**
 * The lean callback path: the check a wake-up makes runs as a local activity in the waking workflow task, a job's
 * search attributes write only what changed, and a lone run (not a batch item) submits on the CI quota queue when its
 * worker says so. One id for all three, because every `patched()` id costs each run a marker and a
 * `TemporalChangeVersion` upsert (written by the SDK's core).
 */
export const LEAN_CALLBACK_PATH = 'lean-callback-path';
