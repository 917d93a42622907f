import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { cosUri } from '../cos/ref';
import type { BatchItemOutcome, BatchManifestTarget, BatchSummary, DescribeBatchItemsInput } from '../contract';
import type { ListMediaPageInput, MediaPage, ObjectLocation, TranscriptionResult } from '../contract';
import type { ActivityDeps } from './deps';
import { sortingFailures } from './failures';
import { isMediaKey } from './media-keys';

/**
 * The activity of the CI quota task queue: it does nothing, and that is the point. The queue's worker sets Temporal's
 * task-queue activity rate limit, so these complete no faster than the shared CI submit rate; a batch takes one per
 * item before it starts the item. Register it alone on the quota queue's worker (see `createQuotaWorker`).
 */
export const quotaActivities = {
  /** Returns once the shared submit rate limit lets one more CI job be submitted. */
  async admitCiSubmit(): Promise<void> {
    return Promise.resolve();
  },
};

/** The type and message of a failure: the first typed `ApplicationFailure` in its cause chain, else the innermost. */
function describeFailure(err: unknown): { type?: string; message: string } {
  let innermost: unknown = err;
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type) return { type: cause.type, message: cause.message };
    innermost = cause;
  }
  return { message: innermost instanceof Error ? innermost.message : String(innermost) };
}

/** How a closed item ended, read from Temporal (its latest run); undefined while it runs. */
async function closedItemOutcome(
  client: Client,
  item: DescribeBatchItemsInput['items'][number],
): Promise<BatchItemOutcome | undefined> {
  const handle = client.workflow.getHandle(item.workflowId);
  let status: string;
  try {
    status = (await handle.describe()).status.name;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return { ...item, status: 'failed', error: { message: 'the item workflow no longer exists (retention)' } };
  }
  if (status === 'RUNNING' || status === 'CONTINUED_AS_NEW') return undefined;
  try {
    const result = (await handle.result()) as TranscriptionResult;
    const { jobId, resultObject, manifestObject } = result;
    return { ...item, status: 'succeeded', jobId, resultUri: resultObject.uri, manifestUri: manifestObject.uri };
  } catch (err) {
    const { type, message } = describeFailure(err);
    // "terminated: reason", "timed_out: …": the item ended without its own report, so say how.
    return { ...item, status: 'failed', error: { type, message: `item ${status.toLowerCase()}: ${message}` } };
  }
}

/**
 * Activities of `transcribeBatch`: listing media page by page and writing the per-item manifest in parts, so
 * thousands of items never sit in workflow history.
 */
export function createBatchActivities(deps: ActivityDeps) {
  const locate = (target: { bucket?: string; region?: string }) => ({
    Bucket: target.bucket ?? deps.defaults.bucket,
    Region: target.region ?? deps.defaults.region,
  });
  return {
    /** Lists one page of media objects under a prefix (folders and non-media extensions skipped). */
    async listMediaPage(input: ListMediaPageInput): Promise<MediaPage> {
      return sortingFailures(async () => {
        const page = await deps.objects.list({
          ...locate(input),
          Prefix: input.prefix,
          Marker: input.marker,
          MaxKeys: input.pageSize,
        });
        const keys = page.objects.map((o) => o.Key).filter((key) => isMediaKey(key, input.extensions));
        return { keys, nextMarker: page.nextMarker };
      });
    },

    /** Writes one part of a batch manifest (idempotent: the same part index always gets the same content). */
    async writeBatchManifestPart(
      input: BatchManifestTarget & { partIndex: number; items: BatchItemOutcome[] },
    ): Promise<string> {
      return sortingFailures(async () => {
        const Key = `${input.manifestKey}.part-${String(input.partIndex).padStart(5, '0')}.json`;
        await deps.objects.put({ ...locate(input), Key }, JSON.stringify(input.items), 'application/json');
        return Key;
      });
    },

    /**
     * The `MaxConcurrent` of the CI queue a batch's jobs go to (`queueId`, else the worker's queue, else the
     * bucket's first queue); undefined when the worker cannot read queues.
     */
    async readQueueConcurrency(input: {
      bucket?: string;
      region?: string;
      queueId?: string;
    }): Promise<number | undefined> {
      if (!deps.queueConcurrency) return undefined;
      const where = locate(input);
      const queueId = input.queueId ?? deps.defaults.queueId;
      return sortingFailures(() => deps.queueConcurrency!({ bucket: where.Bucket, region: where.Region, queueId }));
    },

    ...quotaActivities,

    /**
     * The outcomes of the given items that have closed, read from Temporal with the worker's client: a batch asks for
     * the items it has no report from (one terminated or timed out never sends one). Items still running are left out.
     */
    async describeBatchItems(input: DescribeBatchItemsInput): Promise<BatchItemOutcome[]> {
      const client = Context.current().client;
      const outcomes: BatchItemOutcome[] = [];
      for (const item of input.items) {
        const outcome = await closedItemOutcome(client, item);
        if (outcome) outcomes.push(outcome);
      }
      return outcomes;
    },

    /** Merges the parts into the final manifest `{ summary, items }` and returns its location. */
    async finalizeBatchManifest(
      input: BatchManifestTarget & { partKeys: string[]; summary: BatchSummary },
    ): Promise<ObjectLocation> {
      return sortingFailures(async () => {
        const where = locate(input);
        const items: BatchItemOutcome[] = [];
        for (const Key of input.partKeys) {
          items.push(
            ...(JSON.parse((await deps.objects.get({ ...where, Key })).toString('utf8')) as BatchItemOutcome[]),
          );
        }
        const body = JSON.stringify({ manifestVersion: 1, summary: input.summary, items }, null, 2);
        await deps.objects.put({ ...where, Key: input.manifestKey }, body, 'application/json');
        return {
          bucket: where.Bucket,
          region: where.Region,
          key: input.manifestKey,
          uri: cosUri({ Bucket: where.Bucket, Key: input.manifestKey }),
        };
      });
    },
  };
}
