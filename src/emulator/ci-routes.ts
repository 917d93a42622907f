import type { CallbackDispatcher } from './callbacks';
import type { EmulatorCounters } from './counters';
import { bump } from './counters';
import { ApiError, invalidArgument, queueNotFound } from './errors';
import type { FaultConfig } from './faults';
import { fires } from './faults';
import type { ApiResponse } from './http-util';
import { jobsDetail } from './job-detail';
import type { JobEngine } from './job-engine';
import { listJobs, parseListQuery } from './list-query';
import type { RequestTarget } from './request-target';
import { requireBound } from './setup/bucket-queue-routes';
import type { SetupContext } from './setup/routes';
import { handleSetup } from './setup/routes';
import { checkHotVocab } from './setup/template-routes';
import type { EmulatorTemplate } from './submit-request';
import { parseSubmitRequest } from './submit-request';
import type { EmulatorVariants } from './variants';
import type { XmlObject } from './xml';
import { buildXml } from './xml';

/** What the CI routes work with. */
export interface CiContext extends SetupContext {
  engine: JobEngine;
  callbacks: CallbackDispatcher;
  counters: () => EmulatorCounters;
  faults: () => FaultConfig;
  /** Replaces the live fault config (the lost-response fault counts itself down). */
  setLoseSubmitResponses: (remaining: number) => void;
  /** Templates usable by `TemplateId` (the live record of the setup state). */
  templates: Record<string, EmulatorTemplate>;
  /** Jobs whose callback was sent before their submit response; the normal callback is skipped for them. */
  earlyJobs: Set<string>;
  /** How to answer where no source settles CI's behaviour. */
  variants: EmulatorVariants;
}

function xmlOk(document: XmlObject): ApiResponse {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: buildXml(document) };
}

async function submit(ctx: CiContext, target: RequestTarget, body: Buffer): Promise<ApiResponse> {
  requireBound(ctx.setup, target.bucket);
  const spec = parseSubmitRequest(body.toString('utf8'), ctx.templates);
  if (spec.queueId !== undefined) knownQueue(ctx, target.bucket, spec.queueId);
  checkHotVocab(ctx.setup, target.bucket, spec.speechRecognition);
  const job = ctx.engine.submit(spec, target.bucket, target.region);
  const faults = ctx.faults();
  if (faults.startJobsAtOnce) {
    bump(ctx.counters().faultsInjected, 'submit:startedAtOnce');
    ctx.engine.startNow(job.jobId);
  }
  const committed = jobsDetail(ctx.engine.get(job.jobId) ?? job, ctx.variants);
  if (fires(faults.callbackEarlyShare)) {
    ctx.earlyJobs.add(job.jobId);
    const finished = await ctx.engine.runNow(job.jobId);
    if (finished) await ctx.callbacks.sendNow(ctx.setup.withCallback(finished));
  }
  // Read again after the awaits above: concurrent submits may have used up the armed count meanwhile.
  const armed = ctx.faults().loseSubmitResponses;
  if (armed > 0) {
    ctx.setLoseSubmitResponses(armed - 1);
    bump(ctx.counters().faultsInjected, 'submit:lostResponse');
    return { status: 0, reset: true };
  }
  return xmlOk({ Response: { JobsDetail: committed } });
}

/** Refuses a `QueueId` that is not one of the bucket's queues with CI's `QueueNotFound` (rows 8, 30). */
function knownQueue(ctx: CiContext, bucket: string, queueId: string): void {
  if (!ctx.setup.queue(bucket, queueId)) throw queueNotFound(queueId, bucket);
}

function describe(ctx: CiContext, idList: string): ApiResponse {
  const ids = idList.split(',').filter((id) => id.length > 0);
  if (ids.length === 0) throw invalidArgument('No job id given.');
  const found = ids.map((id) => ctx.engine.get(id)).filter((job) => job !== undefined);
  const missing = ids.filter((id) => !ctx.engine.get(id));
  const response: XmlObject = {};
  if (found.length > 0) response.JobsDetail = found.map((job) => jobsDetail(job, ctx.variants));
  if (missing.length > 0) response.NonExistJobIds = missing;
  return xmlOk({ Response: response });
}

function list(ctx: CiContext, target: RequestTarget): ApiResponse {
  const query = parseListQuery(new Map(target.query));
  // DescribeSpeechJobs documents `queueId` as required (1209/47597, further difference 13); a variant relaxes it.
  if (query.queueId === undefined && ctx.variants.listQueueId === 'required') {
    throw invalidArgument('queueId is required.');
  }
  if (query.queueId !== undefined) knownQueue(ctx, target.bucket, query.queueId);
  const page = listJobs(
    ctx.engine.all().filter((job) => job.bucket === target.bucket),
    query,
  );
  const response: XmlObject = {};
  if (page.jobs.length > 0) response.JobsDetail = page.jobs.map((job) => jobsDetail(job, ctx.variants));
  // On the last page: `<NextToken></NextToken>` or no element (row 15, a variant).
  if (page.nextToken !== '' || ctx.variants.lastPageToken === 'empty') response.NextToken = page.nextToken;
  return xmlOk({ Response: response });
}

function cancel(ctx: CiContext, jobId: string): ApiResponse {
  const outcome = ctx.engine.cancel(jobId);
  if (!outcome) throw invalidArgument(`Job ${jobId} does not exist.`);
  if (!outcome.ok) throw invalidArgument(outcome.reason);
  return { status: 200 };
}

/** Handles a CI request already matched to `route` (see `ciRouteName`). */
export async function handleCi(
  ctx: CiContext,
  route: string,
  target: RequestTarget,
  body: Buffer,
): Promise<ApiResponse> {
  const id = target.pathname.split('/')[2] ?? '';
  if (target.bucket !== '') ctx.setup.seen(target.bucket, target.region);
  else if (!/asrbucket|asrqueue|template|asrhotvocabtable/.test(route)) {
    throw new ApiError(
      400,
      'InvalidHost',
      `${route} needs the bucket host <BucketName-APPID>.ci.<Region>.myqcloud.com.`,
    );
  }
  switch (route) {
    case 'POST /asr_jobs':
    case 'POST /jobs':
      return submit(ctx, target, body);
    case 'GET /asr_jobs/:ids':
    case 'GET /jobs/:ids':
      return describe(ctx, id);
    case 'GET /asr_jobs':
    case 'GET /jobs':
      return list(ctx, target);
    case 'PUT /jobs/:id?cancel':
      return cancel(ctx, id);
    default:
      return handleSetup(ctx, route, target, body);
  }
}
