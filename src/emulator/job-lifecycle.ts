import type { EmulatedJob, JobResult } from './job-model';
import { TencentCiAsrError } from '../shared/errors';

/** Thrown by the transition functions below when a transition is not allowed from the job's current state. */
export class InvalidTransitionError extends TencentCiAsrError {
  override readonly name = 'InvalidTransitionError';
}

function expectState(job: EmulatedJob, allowed: readonly string[], action: string): void {
  if (!allowed.includes(job.state)) {
    throw new InvalidTransitionError(`Cannot ${action} job ${job.jobId} in state ${job.state}.`);
  }
}

/** `Submitted` (or `Pause`) → `Running`. */
export function startJob(job: EmulatedJob, nowMs: number): EmulatedJob {
  expectState(job, ['Submitted', 'Pause'], 'start');
  return { ...job, state: 'Running', startMs: nowMs };
}

/** `Running` → `Success` with its result. */
export function succeedJob(job: EmulatedJob, result: JobResult, nowMs: number): EmulatedJob {
  expectState(job, ['Running'], 'complete');
  return { ...job, state: 'Success', code: 'Success', message: '', endMs: nowMs, result };
}

/** `Running` → `Failed` with a CI error code and message. */
export function failJob(job: EmulatedJob, code: string, message: string, nowMs: number): EmulatedJob {
  expectState(job, ['Running'], 'fail');
  return { ...job, state: 'Failed', code, message, endMs: nowMs };
}

/** A waiting job moved to `Pause` when its queue is paused and back to `Submitted` when it resumes; else unchanged. */
export function applyQueuePause(job: EmulatedJob, queuePaused: boolean): EmulatedJob {
  if (queuePaused && job.state === 'Submitted') return { ...job, state: 'Pause' };
  if (!queuePaused && job.state === 'Pause') return { ...job, state: 'Submitted' };
  return job;
}

/** Outcome of a cancel request: the cancelled job, or why CI refuses. */
export type CancelOutcome = { ok: true; job: EmulatedJob } | { ok: false; reason: string };

/** Only jobs that have not started (`Submitted`, `Pause`) can be cancelled (DOC-CANCEL). */
export function cancelJob(job: EmulatedJob, nowMs: number): CancelOutcome {
  if (job.state !== 'Submitted' && job.state !== 'Pause') {
    return {
      ok: false,
      reason: `Job ${job.jobId} cannot be cancelled in state ${job.state}; only Submitted or Pause jobs can be cancelled.`,
    };
  }
  return { ok: true, job: { ...job, state: 'Cancel', endMs: nowMs } };
}

/**
 * Ids of the jobs of one queue to start now: queued at least `queuedMs`, highest `JobLevel` first then oldest, up to
 * the free share of `concurrency`.
 */
export function jobsToStart(
  jobs: Iterable<EmulatedJob>,
  queueId: string,
  concurrency: number,
  nowMs: number,
  queuedMs: number,
): string[] {
  const inQueue = [...jobs].filter((j) => j.queueId === queueId);
  const running = inQueue.filter((j) => j.state === 'Running').length;
  const free = Math.max(0, concurrency - running);
  return inQueue
    .filter((j) => j.state === 'Submitted' && nowMs - j.creationMs >= queuedMs)
    .sort((a, b) => b.spec.jobLevel - a.spec.jobLevel || a.seq - b.seq)
    .slice(0, free)
    .map((j) => j.jobId);
}

/**
 * Milliseconds until the next `Submitted` job of a queue becomes eligible to start, or `undefined` when none is
 * waiting out its queue time (timers may fire a little early, so the engine re-checks instead of trusting them).
 */
export function msUntilNextEligible(
  jobs: Iterable<EmulatedJob>,
  queueId: string,
  nowMs: number,
  queuedMs: number,
): number | undefined {
  const waits = [...jobs]
    .filter((j) => j.queueId === queueId && j.state === 'Submitted' && nowMs - j.creationMs < queuedMs)
    .map((j) => j.creationMs + queuedMs - nowMs);
  return waits.length > 0 ? Math.min(...waits) : undefined;
}
