import type { CiCallbackNotification } from '../callback/notification';
import type { CallbackBinding } from '../callback/token';
import type { DeliveryLedger, EntryVerdict } from './delivery-ledger';
import type { ReceiverLogger } from './logger';
import type { EntryMetric, ReceiverMetrics } from './metrics';
import type { RateLimiter } from './rate-limit';
import type { SignalOutcome, TemporalGateway } from './temporal';

/** What delivering needs from the receiver. */
export interface DeliverDeps {
  gateway: TemporalGateway;
  ledger: DeliveryLedger;
  /** Temporal calls per workflow. */
  workflowLimiter: RateLimiter;
  metrics: ReceiverMetrics;
  logger: ReceiverLogger;
  now: () => Date;
}

/** The counts a callback is answered with, and why it was not answered 200 when it was not. */
export interface DeliveryReport {
  accepted: number;
  ignored: number;
  refused: number;
  /** Seconds until the limit that refused an entry allows one again (the answer is then 429). */
  retryAfter?: number;
  /** A Temporal failure that stopped delivery (entries after it were not tried). */
  failure?: Exclude<SignalOutcome, 'ok'>;
  /** Every entry named a workflow that has ended. */
  allFinished: boolean;
}

const IGNORED: ReadonlySet<EntryVerdict> = new Set<EntryVerdict>(['not_final', 'duplicate', 'finished']);

/**
 * Delivers the entries of one authenticated callback. Entries decided from the ledger never reach Temporal; the run's
 * own job's first final state ("genuine") skips the limits, so CI's real callback gets through during a flood; any
 * other entry costs a token of the workflow's bucket.
 */
export async function deliverEntries(
  deps: DeliverDeps,
  binding: CallbackBinding,
  notifications: readonly CiCallbackNotification[],
): Promise<DeliveryReport> {
  const report: DeliveryReport = { accepted: 0, ignored: 0, refused: 0, allFinished: true };
  const { workflowId } = binding;
  const receivedAt = deps.now().toISOString();
  for (const entry of notifications) {
    let verdict = deps.ledger.verdict(binding, entry);
    if (verdict === 'unknown' && deps.ledger.shouldAsk(workflowId, deps.now().getTime())) {
      // A query writes no history: learning the run's job once lets every forged id be refused here.
      deps.ledger.learnJob(workflowId, await deps.gateway.ownJob(workflowId));
      verdict = deps.ledger.verdict(binding, entry);
    }
    if (verdict !== 'finished') report.allFinished = false;
    if (verdict === 'unknown') {
      const wait = deps.workflowLimiter.take(workflowId, deps.now().getTime());
      if (wait > 0) {
        report.retryAfter = Math.max(report.retryAfter ?? 0, wait);
        count(deps, 'rate_limited');
        continue;
      }
    }
    if (verdict !== 'unknown' && verdict !== 'genuine') {
      count(deps, verdict);
      if (IGNORED.has(verdict)) report.ignored++;
      else report.refused++;
      continue;
    }
    const { jobId, state, code, message } = entry;
    const failure = await deliverOne(deps, workflowId, entry, { jobId, state, code, message, receivedAt }, report);
    if (failure) {
      report.failure = failure;
      report.allFinished = false;
      return report;
    }
  }
  return report;
}

async function deliverOne(
  deps: DeliverDeps,
  workflowId: string,
  entry: CiCallbackNotification,
  payload: Parameters<TemporalGateway['deliver']>[1],
  report: DeliveryReport,
): Promise<Exclude<SignalOutcome, 'ok'> | undefined> {
  const started = performance.now();
  const viaSignal = deps.ledger.signalsOnly(workflowId);
  const result = await deps.gateway.deliver(workflowId, payload, viaSignal);
  deps.metrics.observeSignal((performance.now() - started) / 1000, result.outcome);
  if (result.outcome === 'ok') {
    if (result.viaSignal && !viaSignal) deps.ledger.signalsOnly(workflowId, true);
    deps.ledger.learnJob(workflowId, result.jobId);
    deps.ledger.delivered(workflowId, entry);
    report.accepted++;
    count(deps, 'delivered');
    deps.logger.info('callback delivered', { workflowId, jobId: entry.jobId, state: entry.state });
    return undefined;
  }
  if (result.outcome === 'refused') {
    const { refusal } = result;
    count(deps, refusal);
    if (refusal === 'other_job') report.refused++;
    else report.ignored++;
    if (refusal === 'finished') deps.ledger.closed(workflowId);
    if (refusal === 'duplicate') deps.ledger.delivered(workflowId, entry);
    return undefined;
  }
  if (result.outcome === 'workflow_closed') deps.ledger.closed(workflowId);
  if (result.error) {
    // The gRPC code and message say whether it was the deadline, the connection or the server refusing.
    deps.logger.warn('callback delivery failed', { workflowId, outcome: result.outcome, ...result.error });
  }
  return result.outcome;
}

function count(deps: DeliverDeps, verdict: EntryMetric): void {
  deps.metrics.entry(verdict);
}
