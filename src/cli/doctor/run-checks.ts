/**
 * Runs doctor's checks: the Tencent chain (credentials → bucket → queue, then callbacks) and the Temporal chain
 * (server → search attributes, worker) side by side. A check whose dependency failed is skipped and says why; every
 * check has its own time limit, so one hanging service cannot hide the others.
 */
import type { Client } from '@temporalio/client';
import type { CiSetupClient } from '../../ci/setup/client';
import type { AsrQueue } from '../../ci/setup/types';
import { ConfigError } from '../../config/reader';
import type { CliContext } from '../context';
import { formatOneLine } from '../errors';
import { checkCallbacks } from './callback-check';
import { checkNexusEndpoint } from './nexus-check';
import { configOutcome } from './explain';
import type { CheckId, CheckOutcome, CheckResult } from './report';
import { CHECK_IDS, skippedBecause } from './report';
import type { DoctorSettings } from './settings';
import { checkBucket, checkCredentials, checkQueue } from './tencent-checks';
import {
  checkQuotaWorker,
  checkSearchAttributes,
  checkTemporal,
  checkWorker,
  temporalUnavailable,
} from './temporal-checks';

/** How each check is named on its line. */
export const CHECK_TITLES: Record<CheckId, string> = {
  credentials: 'Tencent credentials',
  bucket: 'bucket bound to ASR',
  queue: 'ASR queue',
  callbacks: 'callbacks',
  temporal: 'Temporal',
  'search-attributes': 'search attributes',
  worker: 'worker polling',
  'quota-worker': 'CI quota worker',
  'nexus-endpoint': 'Nexus endpoint',
};

/** Milliseconds each check may take by default. */
export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;

/** What a doctor run checks. */
export interface DoctorOptions {
  settings: DoctorSettings;
  /** Queue to check instead of the bucket's own (`--queue`, else CI_QUEUE_ID). */
  queueId?: string;
  /** Milliseconds each check may take. */
  timeoutMs: number;
}

type Runner = (signal: AbortSignal) => Promise<CheckOutcome>;

/** Runs one check within `timeoutMs`; a timeout or an unexpected error is that check's failure, nothing more. */
async function timed(id: CheckId, timeoutMs: number, run: Runner): Promise<CheckResult> {
  const started = Date.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`${CHECK_TITLES[id]} took longer than ${timeoutMs} ms`));
      resolve({
        status: 'fail',
        detail: `no answer within ${timeoutMs / 1000} s`,
        fix: 'Check the address configured for it and the network, or allow more time with --timeout <seconds>.',
      });
    }, timeoutMs);
  });
  const outcome = run(controller.signal).catch((err: unknown): CheckOutcome =>
    err instanceof ConfigError
      ? configOutcome(err)
      : { status: 'fail', detail: `the check failed: ${formatOneLine(err).replace(/^error: /, '')}` },
  );
  try {
    return {
      id,
      title: CHECK_TITLES[id],
      ...(await Promise.race([outcome, timeout])),
      elapsedMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

function skipped(id: CheckId, dependency: CheckId): CheckResult {
  return { id, title: CHECK_TITLES[id], ...skippedBecause(CHECK_TITLES[dependency]), elapsedMs: 0 };
}

async function tencentChain(ctx: CliContext, options: DoctorOptions): Promise<CheckResult[]> {
  const { settings, timeoutMs } = options;
  let setup: CiSetupClient | undefined;
  const credentials = await timed('credentials', timeoutMs, async (signal) => {
    setup = ctx.tencent().setup;
    return await checkCredentials(setup, settings, signal);
  });
  const results = [credentials];
  let queue: AsrQueue | undefined;
  if (credentials.status === 'fail' || setup === undefined) {
    results.push(skipped('bucket', 'credentials'), skipped('queue', 'credentials'));
  } else {
    const client = setup;
    const bucket = await timed('bucket', timeoutMs, (signal) => checkBucket(client, signal));
    results.push(bucket);
    if (bucket.status === 'fail') results.push(skipped('queue', 'bucket'));
    else {
      results.push(
        await timed('queue', timeoutMs, async (signal) => {
          const found = await checkQueue(client, options.queueId ?? settings.queueId, signal);
          queue = found.queue;
          return found.outcome;
        }),
      );
    }
  }
  // Not skipped with the queue: the worker's own callback URL and the receiver are worth checking regardless.
  results.push(await timed('callbacks', timeoutMs, (signal) => checkCallbacks(settings, queue, signal)));
  return results;
}

async function temporalChain(ctx: CliContext, options: DoctorOptions): Promise<CheckResult[]> {
  let client: Client | undefined;
  const temporal = await timed('temporal', options.timeoutMs, async () => {
    try {
      client = await ctx.temporal();
    } catch (err) {
      return temporalUnavailable(err);
    }
    return await checkTemporal(client);
  });
  const endpoint = options.settings.nexusEndpoint;
  if (temporal.status === 'fail' || client === undefined) {
    const ids = ['search-attributes', 'worker', 'quota-worker', ...(endpoint ? ['nexus-endpoint'] : [])] as const;
    return [temporal, ...ids.map((id) => skipped(id as CheckId, 'temporal'))];
  }
  const connected = client;
  return [
    temporal,
    ...(await Promise.all([
      timed('search-attributes', options.timeoutMs, () => checkSearchAttributes(connected)),
      timed('worker', options.timeoutMs, () => checkWorker(connected, ctx.taskQueue)),
      timed('quota-worker', options.timeoutMs, () => checkQuotaWorker(connected, ctx.taskQueue)),
      // Only when one is configured: a deployment without Nexus callers has nothing to check.
      ...(endpoint
        ? [timed('nexus-endpoint', options.timeoutMs, () => checkNexusEndpoint(connected, endpoint, ctx.taskQueue))]
        : []),
    ])),
  ];
}

/** Runs every check and returns one result per check run, in {@link CHECK_IDS} order. Never throws. */
export async function runDoctorChecks(ctx: CliContext, options: DoctorOptions): Promise<CheckResult[]> {
  const results = (await Promise.all([tencentChain(ctx, options), temporalChain(ctx, options)])).flat();
  return CHECK_IDS.flatMap((id) => results.filter((r) => r.id === id));
}
