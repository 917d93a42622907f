import { upsertSearchAttributes } from '@temporalio/workflow';
import type { JobSnapshot } from '../../contract';
import { isTerminalCiJobState } from '../../ci/job-state';
import { CI_JOB_ID, CI_JOB_STATE } from '../../shared/search-attributes';

/**
 * Publishes a run's CI job as the `CiJobId`/`CiJobState` search attributes, only when that changes what a visibility
 * query finds: once when the job is known (its id and first state, in one upsert), and once when CI reports a final
 * state (`Success`, `Failed`, `Cancel`). The states in between (`Running`, `Pause`) stay in the status query: each
 * upsert is a history event and a billed Cloud Action, and a list query tells a waiting run by its open status. A
 * continued run inherits its predecessor's attributes, so it writes only the final state.
 */
export class JobAttributes {
  private idPublished: boolean;

  constructor(carriedOver: boolean) {
    this.idPublished = carriedOver;
  }

  /** Upserts `news` (a state change `RunStatus.noteJobState` reported) when it is worth a query, else nothing. */
  publish(news: { jobId: string; state: JobSnapshot['state'] } | undefined): void {
    if (!news) return;
    const state = { key: CI_JOB_STATE, value: news.state };
    if (!this.idPublished) upsertSearchAttributes([{ key: CI_JOB_ID, value: news.jobId }, state]);
    else if (isTerminalCiJobState(news.state)) upsertSearchAttributes([state]);
    this.idPublished = true;
  }
}
