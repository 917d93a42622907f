/** States a CI job reports in `JobsDetail/State`. */
export const CI_JOB_STATES = ['Submitted', 'Running', 'Success', 'Failed', 'Pause', 'Cancel'] as const;

/** A CI job state. `Pause` means the job's queue is paused; the job resumes when the queue does. */
export type CiJobState = (typeof CI_JOB_STATES)[number];

/** States after which a job never changes again. */
export const TERMINAL_CI_JOB_STATES: readonly CiJobState[] = ['Success', 'Failed', 'Cancel'];

/** Whether `value` is one of the documented job states. */
export function isCiJobState(value: unknown): value is CiJobState {
  return typeof value === 'string' && (CI_JOB_STATES as readonly string[]).includes(value);
}

/** Whether a job in `state` has finished for good. */
export function isTerminalCiJobState(state: CiJobState): boolean {
  return TERMINAL_CI_JOB_STATES.includes(state);
}
