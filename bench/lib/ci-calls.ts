import type { EmulatorCounters } from '../../src/emulator';

/** Route names of the CI API (everything else the emulator serves is COS or admin). */
const CI_ROUTES = /^(POST|GET|PUT) \/(asr_jobs|jobs)/;

/** CI API requests by route between two counter snapshots, and their total. */
export function ciCallsBetween(
  before: EmulatorCounters,
  after: EmulatorCounters,
): { total: number; byRoute: Record<string, number> } {
  const byRoute: Record<string, number> = {};
  let total = 0;
  for (const [route, count] of Object.entries(after.requests)) {
    if (!CI_ROUTES.test(route)) continue;
    const delta = count - (before.requests[route] ?? 0);
    if (delta === 0) continue;
    byRoute[route] = delta;
    total += delta;
  }
  return { total, byRoute };
}
