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
 * Marks runs whose deadline had passed before their first submit (their first workflow task came late: no worker, a
 * server outage): they fail without submitting, instead of paying for a job they could never wait for. Taken only
 * on that path, so other histories carry no marker.
 */
export const NO_SUBMIT_AFTER_DEADLINE = 'no-submit-after-deadline';

/** Marks runs whose workflow cancel sweeps the step's tag after cancelling the known job (late duplicates). */
export const CANCEL_SWEEPS_STEP = 'cancel-sweeps-step';

/**
 * The lean callback path: the check a wake-up makes runs as a local activity in the waking workflow task, a job's
 * search attributes write only what changed, and a lone run (not a batch item) submits on the CI quota queue when its
 * worker says so. One id for all three, because every `patched()` id costs each run a marker and a
 * `TemporalChangeVersion` upsert (written by the SDK's core).
 */
export const LEAN_CALLBACK_PATH = 'lean-callback-path';
