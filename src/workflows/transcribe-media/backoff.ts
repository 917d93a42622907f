/** How a waiting `transcribeMedia` run polls CI when no callback arrives. All durations in milliseconds. */
export interface PollSchedule {
  /** Delay before the first poll after submitting. */
  firstDelayMs: number;
  /** Growth factor between consecutive delays (≥ 1). */
  multiplier: number;
  /** Upper bound for any single delay. */
  maxIntervalMs: number;
  /** Share of each delay drawn at random, 0–1: a delay `d` becomes uniform in `[d·(1−jitter), d]`. */
  jitter: number;
}

/** Defaults: 10 s, ×2, at most 5 min, 20 % jitter — 6 polls in a 10-minute job, ~75 in a 6-hour one. */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = {
  firstDelayMs: 10_000,
  multiplier: 2,
  maxIntervalMs: 5 * 60_000,
  jitter: 0.2,
};

/**
 * Delay before poll number `pollIndex` (0 = first poll). `random` is a draw in [0, 1): the workflow passes its
 * deterministic `Math.random()`. Jitter only shortens delays, so the maximum interval is a true bound.
 */
export function pollDelayMs(schedule: PollSchedule, pollIndex: number, random: number): number {
  const exponential = schedule.firstDelayMs * Math.pow(schedule.multiplier, Math.max(0, pollIndex));
  const capped = Math.min(exponential, schedule.maxIntervalMs);
  const jittered = capped * (1 - schedule.jitter * random);
  return Math.max(1, Math.round(jittered));
}

/** Problems with a schedule, empty when it is usable. */
export function pollScheduleProblems(schedule: PollSchedule): string[] {
  const problems: string[] = [];
  if (!(schedule.firstDelayMs >= 1)) problems.push('polling.firstDelay must be at least 1 ms');
  if (!(schedule.multiplier >= 1)) problems.push('polling.multiplier must be ≥ 1');
  if (!(schedule.maxIntervalMs >= schedule.firstDelayMs)) {
    problems.push('polling.maxInterval must be ≥ polling.firstDelay');
  }
  if (!(schedule.jitter >= 0 && schedule.jitter <= 1)) problems.push('polling.jitter must be between 0 and 1');
  return problems;
}

/**
 * Number of polls a job of `jobDurationMs` costs with no callback (jitter at its mean), counting the poll that sees
 * the job finished. Used by benchmarks and docs to compare with a fixed-interval poll loop.
 */
export function pollsForJobDuration(schedule: PollSchedule, jobDurationMs: number): number {
  let elapsed = 0;
  let polls = 0;
  while (elapsed < jobDurationMs) {
    elapsed += pollDelayMs(schedule, polls, 0.5);
    polls += 1;
  }
  return Math.max(1, polls);
}
