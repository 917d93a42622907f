import type { BatchContinuation, BatchProgress } from './types';

/** Completions kept for the rate: enough to smooth out bursts, few enough to follow a change of pace. */
export const RATE_WINDOW = 50;

/** Adds a completion time (epoch ms) to the rate window, dropping the oldest beyond {@link RATE_WINDOW}. */
export function withCompletion(recent: readonly number[], atMs: number): number[] {
  const next = [...recent, atMs];
  return next.length > RATE_WINDOW ? next.slice(next.length - RATE_WINDOW) : next;
}

/** Items per minute over the window (undefined until two completions are at least a millisecond apart). */
export function itemsPerMinute(recent: readonly number[]): number | undefined {
  const first = recent[0];
  const last = recent.at(-1);
  if (first === undefined || last === undefined || recent.length < 2 || last <= first) return undefined;
  return ((recent.length - 1) * 60_000) / (last - first);
}

/** Seconds until `remaining` items end at `perMinute`; undefined when either is unknown. */
export function etaSeconds(remaining: number | undefined, perMinute: number | undefined): number | undefined {
  if (remaining === undefined || perMinute === undefined || perMinute <= 0) return undefined;
  return Math.ceil((remaining * 60) / perMinute);
}

/** Facts the quota status is derived from. */
export interface QuotaFacts {
  /** Items that could start now (pending, and this run may start more). */
  canStartMore: boolean;
  /** Items started and not ended (admissions in progress do not count: they are not at CI yet). */
  running: number;
  cap: number;
  /** Whether the cap comes from the CI queue (not just the batch's own `maxInFlight`). */
  capIsQuota: boolean;
  /** Milliseconds the oldest admission not granted yet has been waiting (0 when none is). */
  oldestAdmissionWaitMs: number;
}

/**
 * An admission outstanding longer than this means the rate limit holds it back; shorter is the round trip every
 * admission takes (activity task, completion, workflow task).
 */
export const ADMISSION_WAIT_MS = 2_000;

/** What the batch waits for, if it waits for a CI quota. */
export function quotaWait(facts: QuotaFacts): 'ci-concurrency' | 'submit-rate' | undefined {
  if (facts.oldestAdmissionWaitMs > ADMISSION_WAIT_MS) return 'submit-rate';
  if (facts.canStartMore && facts.capIsQuota && facts.running >= facts.cap) return 'ci-concurrency';
  return undefined;
}

/** What a run knows beyond its state, for its progress answer. */
export interface RunView {
  running: number;
  cap: number;
  canStartMore: boolean;
  capIsQuota: boolean;
  /** Workflow times (epoch ms) the admissions not granted yet were asked for. */
  admissionsAskedAt: readonly number[];
}

/** The `batchProgress` answer of a run. */
export function batchProgress(state: BatchContinuation, run: RunView): BatchProgress {
  const { total, succeeded, failed, listingComplete } = state;
  const perMinute = itemsPerMinute(state.recentCompletions ?? []);
  return {
    total,
    succeeded,
    failed,
    running: run.running,
    listingComplete,
    itemsPerMinute: perMinute === undefined ? undefined : Math.round(perMinute * 10) / 10,
    etaSeconds: listingComplete ? etaSeconds(total - succeeded - failed, perMinute) : undefined,
    concurrencyCap: run.cap,
    waitingForQuota: quotaWait({
      canStartMore: run.canStartMore,
      running: run.running,
      cap: run.cap,
      capIsQuota: run.capIsQuota,
      // In a query, Date.now() is the time of the latest workflow task: good enough for "longer than 2 s".
      oldestAdmissionWaitMs: Math.max(0, ...run.admissionsAskedAt.map((at) => Date.now() - at)),
    }),
  };
}
