import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPackageJobTag } from '../activities/submit/tag';
import type { CiCallbackNotification } from '../callback/notification';
import { isTerminalCiJobState } from '../ci/job-state';
import { inCallbackSpan } from '../observability/callback-trace';
import type { Refusal, Reject } from './callback-answer';
import { answerDelivery, clientAddress, readNotifications } from './callback-answer';
import type { CallbackRouteDeps } from './callback-route';
import type { DeliveryReport } from './deliver';
import { deliverEntries } from './deliver';
import { callbackFormat, sendJson } from './http';
import type { QueueTokenVerdict } from './queue-token';
import { verifyQueueToken } from './queue-token';

const TOKEN_STATUS: Record<Exclude<QueueTokenVerdict, 'valid'>, Refusal> = {
  missing: [401, 'token_missing', true],
  malformed: [403, 'token_malformed', true],
  invalid: [403, 'token_invalid', true],
};

/** Seconds CI is told to wait before it delivers again a callback whose job no workflow lists yet. */
const NOT_FOUND_RETRY_AFTER_S = 2;

/** A queue callback's report: the delivery counts, plus whether an entry of ours found no workflow (yet). */
type QueueReport = DeliveryReport & { unknownJob?: string };

function merge(into: QueueReport, part: DeliveryReport): void {
  into.accepted += part.accepted;
  into.ignored += part.ignored;
  into.refused += part.refused;
  into.allFinished &&= part.allFinished;
  if (part.retryAfter !== undefined) into.retryAfter = Math.max(into.retryAfter ?? 0, part.retryAfter);
  into.failure ??= part.failure;
}

/**
 * Sorts the entries of a queue callback by the workflow owning each job, then delivers them exactly as a per-workflow
 * callback (same ledger, validator and limits). Entries that are not final, or whose `UserData` is not a tag of this
 * package (other applications' jobs on the same queue), are ignored. The first entry of ours that no workflow lists
 * after the bounded wait stops the lookups: the request is answered 503, so CI delivers it again.
 */
async function deliverQueueEntries(
  deps: CallbackRouteDeps,
  notifications: readonly CiCallbackNotification[],
): Promise<QueueReport> {
  const report: QueueReport = { accepted: 0, ignored: 0, refused: 0, allFinished: true };
  const byWorkflow = new Map<string, CiCallbackNotification[]>();
  let lookups = 0;
  for (const entry of notifications) {
    const skip = !isTerminalCiJobState(entry.state) ? 'not_final' : !isPackageJobTag(entry.userData) ? 'not_ours' : '';
    if (skip) {
      deps.metrics.entry(skip);
      report.ignored++;
      report.allFinished = false;
      continue;
    }
    // Only the first lookup of a request waits out visibility: one bounded wait per request, whatever its size.
    const found = await deps.owners.find(entry.jobId, lookups++ === 0);
    if ('failure' in found) return { ...report, failure: found.failure, allFinished: false };
    if ('notFound' in found) {
      deps.metrics.entry('job_not_found');
      report.unknownJob = entry.jobId;
      report.allFinished = false;
      break;
    }
    for (const id of found.workflowIds) byWorkflow.set(id, [...(byWorkflow.get(id) ?? []), entry]);
  }
  for (const [workflowId, entries] of byWorkflow) {
    // No MAC binds a tag here: the job id found the workflow, and the run's validator checks it is its own job.
    merge(report, await deliverEntries(deps, { version: 1, workflowId }, entries));
    if (report.failure) break;
  }
  return report;
}

/**
 * `POST /ci/queue?token=<queue token>`: the callback URL set once on a queue's `NotifyConfig`, for jobs submitted
 * without their own `CallBack`. Token first (constant time, nothing read before it passes), content type, client
 * limit, body, then each entry goes to the workflow whose `CiJobId` is its job (see {@link deliverQueueEntries}).
 */
export async function handleQueueCallback(
  deps: CallbackRouteDeps,
  req: IncomingMessage,
  res: ServerResponse,
  query: string,
): Promise<void> {
  const reject: Reject = (status, reason, close = false, headers) => {
    deps.metrics.reject(reason);
    sendJson(res, status, { error: reason }, { close, headers });
  };
  const verdict = verifyQueueToken(query, deps.queueTokens);
  // Unauthenticated refusals are counted, never logged (a flood must not become a log flood); the token never is.
  if (verdict !== 'valid') return reject(...TOKEN_STATUS[verdict]);
  const handle = async (): Promise<void> => {
    const format = callbackFormat(req.headers['content-type']);
    if (!format) return reject(415, 'unsupported_media_type', true);
    const wait = deps.clientLimiter.take(clientAddress(deps.clientAddressHeader, req), deps.now().getTime());
    if (wait > 0) return reject(429, 'rate_limited', true, { 'retry-after': String(wait) });
    const read = await readNotifications(deps, req, format);
    if ('aborted' in read) return void res.destroy();
    if ('refusal' in read) return reject(...read.refusal);
    const report = await deliverQueueEntries(deps, read.notifications);
    if (report.unknownJob !== undefined && !report.failure) {
      deps.logger.warn('queue callback for a job no workflow lists yet', { jobId: report.unknownJob });
      return reject(503, 'job_not_found', false, { 'retry-after': String(NOT_FOUND_RETRY_AFTER_S) });
    }
    answerDelivery(deps.metrics, res, report, reject);
  };
  // The query holds the token: the span gets none of it (no trace context travels on a queue URL anyway).
  await inCallbackSpan('', res, handle, '/ci/queue');
}
