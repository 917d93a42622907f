import { isTerminalCiJobState } from '../ci/job-state';
import type { CiCallbackNotification } from '../callback/notification';
import type { CallbackBinding } from '../callback/token';
import { BoundedMap } from './bounded-map';

/** What the receiver has learned about one workflow from Temporal's answers. */
interface WorkflowRecord {
  /** The run's CI job, from an update's answer or the status query. */
  ownJobId?: string;
  /** `jobId\nstate` of entries Temporal took (or refused as duplicates), newest last, a few at most. */
  delivered: string[];
  /** The workflow has ended: nothing more can reach it. */
  closed?: boolean;
  /** The workflow has no callback update handler (older code): entries go as signals. */
  signalsOnly?: boolean;
  /** When the status query was last asked (ms), so it is asked at most once per `learnIntervalMs`. */
  askedAt?: number;
  /** An entry whose job was unknown here already went to the workflow (the first one goes unasked). */
  unknownSent?: boolean;
}

/** How the receiver decides an entry without Temporal, or that Temporal must be asked. */
export type EntryVerdict =
  | 'wrong_job' // UserData is not the tag a v2 URL is bound to
  | 'other_job' // not the run's own job
  | 'not_final' // CI calls back only when a job ends
  | 'duplicate' // already delivered
  | 'finished' // the workflow has ended
  | 'genuine' // the run's own job, a final state not delivered yet
  | 'unknown'; // Temporal decides (the run's job is not known here yet)

const DELIVERED_KEPT = 8;

/**
 * The receiver's memory of workflows it has delivered to, bounded to `capacity` workflows (least recently used
 * forgotten first). It only ever saves Temporal calls: a forgotten workflow is asked again, and the workflow's own
 * validator stays the authority.
 */
export class DeliveryLedger {
  private readonly records: BoundedMap<string, WorkflowRecord>;

  constructor(
    capacity: number,
    private readonly learnIntervalMs = 5_000,
  ) {
    this.records = new BoundedMap(capacity);
  }

  private record(workflowId: string): WorkflowRecord {
    let record = this.records.get(workflowId);
    if (!record) this.records.set(workflowId, (record = { delivered: [] }));
    return record;
  }

  /** Decides one entry from the URL's binding and what is known about the workflow. */
  verdict(binding: CallbackBinding, entry: CiCallbackNotification): EntryVerdict {
    if (binding.version === 2 && entry.userData !== binding.jobTag) return 'wrong_job';
    const record = this.records.get(binding.workflowId);
    if (record?.closed) return 'finished';
    if (!isTerminalCiJobState(entry.state)) return 'not_final';
    if (record?.ownJobId !== undefined && entry.jobId !== record.ownJobId) return 'other_job';
    if (record?.delivered.includes(`${entry.jobId}\n${entry.state}`)) return 'duplicate';
    return record?.ownJobId === entry.jobId ? 'genuine' : 'unknown';
  }

  /** Whether the run's own job is known. */
  knowsJob(workflowId: string): boolean {
    return this.records.get(workflowId)?.ownJobId !== undefined;
  }

  /**
   * Whether asking the workflow for its job is due; marks it asked. Never for the first unknown entry: that is CI's
   * genuine callback in the normal case, and the update that delivers it answers with the job (a query first would add
   * a worker round trip to every run's callback). From the second one on (a flood, a second job), at most once per
   * interval.
   */
  shouldAsk(workflowId: string, nowMs: number): boolean {
    const record = this.record(workflowId);
    if (record.ownJobId !== undefined || record.signalsOnly) return false;
    if (!record.unknownSent) {
      record.unknownSent = true;
      return false;
    }
    if (record.askedAt !== undefined && nowMs - record.askedAt < this.learnIntervalMs) return false;
    record.askedAt = nowMs;
    return true;
  }

  learnJob(workflowId: string, jobId: string | undefined): void {
    if (jobId) this.record(workflowId).ownJobId = jobId;
  }

  delivered(workflowId: string, entry: CiCallbackNotification): void {
    const { delivered } = this.record(workflowId);
    delivered.push(`${entry.jobId}\n${entry.state}`);
    if (delivered.length > DELIVERED_KEPT) delivered.shift();
  }

  closed(workflowId: string): void {
    this.record(workflowId).closed = true;
  }

  signalsOnly(workflowId: string, value?: true): boolean {
    if (value) this.record(workflowId).signalsOnly = true;
    return this.records.get(workflowId)?.signalsOnly === true;
  }
}
