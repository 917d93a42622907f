import type { LiveLine } from './output';

/** Default milliseconds between status or progress queries while waiting. */
export const DEFAULT_REFRESH_MS = 500;

/**
 * Waits for `done` while showing what `probe` reports every `intervalMs`, then shows the final report once more.
 * A failed probe (e.g. no worker yet to answer the query) is skipped: the wait itself is what matters.
 */
export async function watchUntilSettled<T, S>(
  done: Promise<T>,
  probe: () => Promise<S>,
  render: (report: S) => string,
  line: LiveLine | undefined,
  intervalMs: number,
): Promise<T> {
  let settled = false;
  const finished = done.finally(() => {
    settled = true;
  });
  // The outcome is read from `done` below; this branch only stops the refresh loop.
  finished.catch(() => undefined);
  const show = async (): Promise<void> => {
    const report = await probe().catch(() => undefined);
    if (report !== undefined) line?.update(render(report));
  };
  if (line !== undefined) {
    while (!settled) {
      await show();
      let timer: NodeJS.Timeout | undefined;
      const tick = new Promise<void>((resolve) => (timer = setTimeout(resolve, intervalMs)));
      await Promise.race([tick, finished.catch(() => undefined)]);
      clearTimeout(timer);
    }
    await show();
    line.finish();
  }
  return await done;
}
