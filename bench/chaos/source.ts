// Reads of chaos's sources of truth: the emulator's own job table and the (emulated) object store. Verification counts
// from these, never from what a workflow says it did.
import type { LocalServices } from '../../devstack/local-services';

/** The emulator's record of one job (`GET /_emulator/jobs`). */
export interface EmulatedJobSummary {
  jobId: string;
  state: string;
  userData?: string;
  queueId?: string;
  /** The job's input: the media object key (chaos always transcribes objects). */
  input?: { object?: string; url?: string };
  /** CI time, e.g. `2026-12-07T01:02:03+0800`. */
  creationTime?: string;
}

/** Every job the emulator holds, whatever its state. */
export async function emulatorJobs(services: Pick<LocalServices, 'emulator'>): Promise<EmulatedJobSummary[]> {
  const answer = await fetch(`${services.emulator.url}/_emulator/jobs`);
  return (await answer.json()) as EmulatedJobSummary[];
}

/** Whether `bucket/key` exists in the emulator's object store. */
export async function objectExists(services: LocalServices, bucket: string, key: string): Promise<boolean> {
  return (await services.clients.objects.head({ Bucket: bucket, Region: services.region, Key: key })) !== undefined;
}

/** `bucket/key` parsed as JSON, or undefined when it is missing or not JSON. */
export async function readJsonObject<T>(services: LocalServices, bucket: string, key: string): Promise<T | undefined> {
  try {
    const body = await services.clients.objects.get({ Bucket: bucket, Region: services.region, Key: key });
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the emulator's job count has not changed for `quietMs`: requests an abandoned attempt already sent
 * (held by injected latency) land as jobs after their workflow closed, and must be there before the runs are checked.
 */
export async function untilJobsSettle(services: Pick<LocalServices, 'emulator'>, quietMs: number): Promise<void> {
  let count = (await emulatorJobs(services)).length;
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = (await emulatorJobs(services)).length;
    if (now !== count) [count, since] = [now, Date.now()];
  }
}
