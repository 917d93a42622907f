import { BoundedMap } from './bounded-map';
import type { JobOwnersAnswer } from './temporal';

/** What finding the workflow of a queue callback's job gave. */
export type JobOwnerLookup = { workflowIds: string[] } | { notFound: true } | { failure: 'temporal_unavailable' };

/**
 * Waits between visibility lookups of a job not listed yet: the run upserts `CiJobId` in the workflow task right after
 * its submit returns, and visibility trails that by a moment (SQL: at once; Elasticsearch: about a second).
 */
export const DEFAULT_OWNER_RETRY_DELAYS_MS: readonly number[] = [250, 500, 1_000];

/**
 * Finds the workflow that owns a CI job through the `CiJobId` search attribute, retrying a miss with a bounded backoff
 * (visibility is eventually consistent), and remembers what it found (a job belongs to one workflow for good), at
 * most `capacity` jobs. Misses are not remembered: the next delivery of CI asks again.
 */
export class JobOwners {
  private readonly known: BoundedMap<string, string[]>;

  constructor(
    private readonly lookup: (jobId: string) => Promise<JobOwnersAnswer>,
    capacity: number,
    private readonly retryDelaysMs: readonly number[] = DEFAULT_OWNER_RETRY_DELAYS_MS,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.known = new BoundedMap(capacity);
  }

  /** The owners of `jobId`; with `retry` false one lookup only (a later entry of a request already waited). */
  async find(jobId: string, retry = true): Promise<JobOwnerLookup> {
    const cached = this.known.get(jobId);
    if (cached) return { workflowIds: cached };
    for (let attempt = 0; ; attempt++) {
      const answer = await this.lookup(jobId);
      if (answer.outcome !== 'ok') return { failure: answer.outcome };
      if (answer.workflowIds.length > 0) {
        this.known.set(jobId, answer.workflowIds);
        return { workflowIds: answer.workflowIds };
      }
      const delay = retry ? this.retryDelaysMs[attempt] : undefined;
      if (delay === undefined) return { notFound: true };
      await this.sleep(delay);
    }
  }
}
