/**
 * Doctor's callback check: the URLs CI is handed (the worker's and the queue's `NotifyConfig`) are ones CI can call,
 * the worker has its callback secret, and the receiver's health endpoint answers.
 */
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { AsrQueue } from '../../ci/setup/types';
import { ConfigError } from '../../config/reader';
import { CLI_NAME } from '../help';
import { redactCallbackUrl } from '../redact-url';
import { callbackUrlProblems, configOutcome } from './explain';
import type { CheckOutcome, CheckStatus } from './report';
import type { DoctorSettings } from './settings';

/** One finding of the check; the check's status is the worst of them. */
interface Finding {
  status: CheckStatus;
  detail: string;
  fix?: string;
}

const RANK: Record<CheckStatus, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };

/** Findings about URLs CI will call: none for the emulator, which calls from this machine's own network. */
function urlFindings(settings: DoctorSettings, queue: AsrQueue | undefined): Finding[] {
  const findings: Finding[] = [];
  const notify = queue?.notifyConfig;
  const queueUrl = notify?.State === 'On' && (notify.Type ?? 'Url') === 'Url' ? notify.Url : undefined;
  // The queue's URL carries the receiver's queue token: checked in full, printed redacted.
  const shownQueueUrl = queueUrl === undefined ? undefined : redactCallbackUrl(queueUrl);
  if (settings.callbackUrl !== undefined) {
    const problems = settings.endpoint === undefined ? callbackUrlProblems(settings.callbackUrl) : [];
    findings.push(
      problems.length === 0
        ? { status: 'pass', detail: `callback URL ${settings.callbackUrl}` }
        : {
            status: 'warn',
            detail: `CALLBACK_PUBLIC_BASE_URL ${settings.callbackUrl}: ${problems.join('; ')}`,
            fix: 'Set CALLBACK_PUBLIC_BASE_URL to the receiver\'s public https URL (docs/real-account.md, "Callbacks").',
          },
    );
    if (settings.callbackSecret !== 'set') {
      findings.push({
        status: 'warn',
        detail: `CALLBACK_SECRET is ${settings.callbackSecret} here: the worker refuses a callback URL without one`,
        fix: 'Give the worker and the receiver the same CALLBACK_SECRET of at least 32 characters.',
      });
    }
  }
  if (queueUrl !== undefined && queue !== undefined) {
    const problems = settings.endpoint === undefined ? callbackUrlProblems(queueUrl) : [];
    findings.push(
      problems.length === 0
        ? { status: 'pass', detail: `queue ${queue.queueId} calls back ${shownQueueUrl}` }
        : {
            status: 'warn',
            detail: `the NotifyConfig URL of queue ${queue.queueId}, ${shownQueueUrl}: ${problems.join('; ')}`,
            fix: `${CLI_NAME} queues notify ${queue.queueId} --url "https://<public host>/ci/queue?token=$RECEIVER_QUEUE_TOKEN"`,
          },
    );
  }
  return findings;
}

/** Bytes of a health answer read at most (the receiver's is a small JSON object). */
const MAX_HEALTH_BODY = 4096;

/**
 * `GET url` with node:http(s), not `fetch`: fetch refuses some ports outright ("bad port"), and a health endpoint may
 * sit on any. Resolves with the status and the (small) body; rejects on network errors and on `signal`.
 */
function getSmall(url: string, signal: AbortSignal): Promise<{ status: number; body: string }> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const req = get(url, { signal, headers: { accept: 'application/json' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < MAX_HEALTH_BODY) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** `GET` of the receiver's `/healthz`: 200 when it can reach Temporal, 503 when it cannot. */
async function probeReceiver(url: string, signal: AbortSignal): Promise<Finding> {
  const fix =
    'Start the receiver (`npm run receiver`, or its compose service) and set RECEIVER_HEALTH_URL to its /healthz.';
  let answer: { status: number; body: string };
  try {
    answer = await getSmall(url, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    const code = (err as { code?: unknown }).code;
    const cause = typeof code === 'string' ? code : 'no connection';
    return { status: 'fail', detail: `the receiver at ${url} does not answer (${cause})`, fix };
  }
  if (answer.status === 200) return { status: 'pass', detail: `receiver healthy (${url})` };
  const temporal = /"temporal"\s*:\s*"(\w+)"/.exec(answer.body)?.[1];
  if (answer.status === 503 && temporal !== undefined) {
    return {
      status: 'fail',
      detail: `the receiver answers but cannot reach Temporal (temporal: ${temporal})`,
      fix: "Give the receiver the worker's TEMPORAL_ADDRESS/TEMPORAL_NAMESPACE (and TLS or API key settings).",
    };
  }
  return { status: 'fail', detail: `${url} answered HTTP ${answer.status}: is it the receiver's /healthz?`, fix };
}

/** Checks the callback settings (see the module comment); no callbacks at all is fine: the worker then polls. */
export async function checkCallbacks(
  settings: DoctorSettings,
  queue: AsrQueue | undefined,
  signal: AbortSignal,
): Promise<CheckOutcome> {
  if (settings.problems.length > 0) return configOutcome(new ConfigError('callback', settings.problems));
  const findings = urlFindings(settings, queue);
  if (settings.receiverHealthUrl !== undefined) findings.push(await probeReceiver(settings.receiverHealthUrl, signal));
  else if (findings.length > 0) {
    findings.push({
      status: 'warn',
      detail: 'receiver health not checked',
      fix: "Set RECEIVER_HEALTH_URL to the receiver's /healthz (its admin port, 9465 in compose) or pass --receiver-health.",
    });
  }
  if (findings.length === 0) {
    return {
      status: 'pass',
      detail: 'no callbacks configured: the worker polls CI for each job (callbacks are optional)',
    };
  }
  const worst = findings.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  const shown = worst.status === 'pass' ? findings : findings.filter((f) => f.status !== 'pass');
  const fixes = shown.map((f) => f.fix).filter((f): f is string => f !== undefined);
  return {
    status: worst.status,
    detail: shown.map((f) => f.detail).join('; '),
    ...(fixes.length > 0 ? { fix: fixes.join('\n') } : {}),
  };
}
