/** Doctor's checks of the Tencent side: the keys are accepted, the bucket is bound to ASR, its queue is Active. */
import type { CiSetupClient } from '../../ci/setup/client';
import type { AsrQueue } from '../../ci/setup/types';
import { CLI_NAME } from '../help';
import { explainCiError } from './explain';
import type { CheckOutcome } from './report';
import type { DoctorSettings } from './settings';

/** Where the CI requests went, for the pass lines: the emulator or Tencent Cloud. */
function via(settings: DoctorSettings): string {
  return settings.endpoint === undefined ? '' : ` through the emulator at ${settings.endpoint}`;
}

/**
 * One signed request that needs no binding (`GET /asrbucket` on the region host): any answer but a refusal of the
 * keys shows CI accepts them.
 */
export async function checkCredentials(
  setup: CiSetupClient,
  settings: DoctorSettings,
  signal: AbortSignal,
): Promise<CheckOutcome> {
  try {
    await setup.describeBuckets({ pageSize: 1 }, { signal });
  } catch (err) {
    return explainCiError(err, settings.endpoint);
  }
  const keys = settings.credentials === 'none' ? 'the configured keys' : settings.credentials;
  return {
    status: 'pass',
    detail: `CI accepted a request signed with ${keys} (GET /asrbucket on ci.${setup.region}.myqcloud.com${via(settings)})`,
    data: { credentials: settings.credentials },
  };
}

/** The bucket is listed by `GET /asrbucket` (region host): CI refuses jobs on a bucket without the ASR service. */
export async function checkBucket(setup: CiSetupClient, signal: AbortSignal): Promise<CheckOutcome> {
  const where = `${setup.bucket} (${setup.region})`;
  let bound: boolean;
  try {
    bound = await setup.isBucketBound({ signal });
  } catch (err) {
    return explainCiError(err);
  }
  if (bound)
    return { status: 'pass', detail: `${where} is bound to speech recognition`, data: { bucket: setup.bucket } };
  return {
    status: 'fail',
    detail: `${where} is not bound to speech recognition: CI refuses its jobs`,
    fix:
      `${CLI_NAME} bucket bind   (binds CI_BUCKET; CI then creates its ASR queue)\n` +
      'or the CI console: Cloud Infinite > Bucket management > bind the bucket, then enable Speech recognition.',
    data: { bucket: setup.bucket },
  };
}

/** A passed or failed queue check, and the queue when CI described one (the callback check reads its NotifyConfig). */
export interface QueueCheck {
  outcome: CheckOutcome;
  queue?: AsrQueue;
}

function queueData(queue: AsrQueue, source: string): Record<string, string | number> {
  return {
    queueId: queue.queueId,
    state: queue.state,
    source,
    ...(queue.maxConcurrent === undefined ? {} : { maxConcurrent: queue.maxConcurrent }),
    ...(queue.maxSize === undefined ? {} : { maxSize: queue.maxSize }),
  };
}

/** The queue jobs go to exists and is Active: `queueId` (CI_QUEUE_ID or --queue), else the bucket's own queue. */
export async function checkQueue(
  setup: CiSetupClient,
  queueId: string | undefined,
  signal: AbortSignal,
): Promise<QueueCheck> {
  const source = queueId === undefined ? 'found for the bucket' : 'configured';
  let queue: AsrQueue | undefined;
  try {
    const page = await setup.describeQueues(queueId === undefined ? {} : { queueIds: [queueId] }, { signal });
    queue = queueId === undefined ? page.queues[0] : page.queues.find((q) => q.queueId === queueId);
  } catch (err) {
    return { outcome: explainCiError(err) };
  }
  if (queue === undefined) {
    const detail =
      queueId === undefined
        ? `${setup.bucket} has no ASR queue`
        : `queue ${queueId} (CI_QUEUE_ID) does not exist in ${setup.bucket}`;
    const fix =
      queueId === undefined
        ? `${CLI_NAME} bucket bind   (binding creates the bucket's ASR queue)`
        : `${CLI_NAME} queues list   (then set CI_QUEUE_ID to one of them, or unset it for the bucket's own queue)`;
    return { outcome: { status: 'fail', detail, fix } };
  }
  const limits = queue.maxConcurrent === undefined ? '' : `, MaxConcurrent ${queue.maxConcurrent}`;
  const name = queue.name ? ` "${queue.name}"` : '';
  const data = queueData(queue, source);
  if (queue.state !== 'Active') {
    const detail = `queue ${queue.queueId}${name} (${source}) is ${queue.state}: new jobs wait in Pause until it is resumed`;
    const fix = `${CLI_NAME} queues resume ${queue.queueId}`;
    return { queue, outcome: { status: 'fail', detail, fix, data } };
  }
  return {
    queue,
    outcome: { status: 'pass', detail: `queue ${queue.queueId}${name} (${source}) is Active${limits}`, data },
  };
}
