import { upsertSearchAttributes } from '@temporalio/workflow';
import type { JobSnapshot } from '../../contract';
import { CI_JOB_ID, CI_JOB_STATE } from '../../shared/search-attributes';

/**
 * Publishes a run's CI job as the `CiJobId`/`CiJobState` search attributes, one upsert per confirmed state change.
 * A lean run (see `LEAN_CALLBACK_PATH`) writes `CiJobId` once: an upsert merges into the visibility record, and a
 * continued run inherits its predecessor's attributes.
 */
export class JobAttributes {
  private idPublished: boolean;

  constructor(
    private readonly lean: boolean,
    carriedOver: boolean,
  ) {
    this.idPublished = lean && carriedOver;
  }

  /** Upserts `news` (a state change `RunStatus.noteJobState` reported), or nothing when there is none. */
  publish(news: { jobId: string; state: JobSnapshot['state'] } | undefined): void {
    if (!news) return;
    const state = { key: CI_JOB_STATE, value: news.state };
    upsertSearchAttributes(this.idPublished ? [state] : [{ key: CI_JOB_ID, value: news.jobId }, state]);
    this.idPublished = this.lean;
  }
}
