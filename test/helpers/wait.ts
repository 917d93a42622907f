/**
 * Polls `probe` until it returns a value other than `undefined`, or fails after `timeoutMs` with `what` in the
 * message. Tests wait on conditions, never on fixed sleeps. The bound is a hang guard, not a timing goal: a condition
 * that holds ends the wait at once, and on a loaded 2-core machine workflow tasks alone can take over 5 s each.
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
