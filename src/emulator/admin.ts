import type { EmulatorCounters } from './counters';
import { snapshotCounters } from './counters';
import { ApiError } from './errors';
import type { FaultConfig } from './faults';
import { InvalidFaultConfigError, noFaults } from './faults';
import type { ApiResponse } from './http-util';
import { jsonResponse } from './http-util';
import { formatCiTime } from './ci-time';
import type { JobEngine } from './job-engine';
import type { IssuedCredentials } from './sts';
import { MAX_TOKEN_SECONDS } from './sts';

/** What the admin API can see and change. */
export interface AdminContext {
  counters: () => EmulatorCounters;
  resetCounters: () => void;
  faults: () => FaultConfig;
  setFaults: (patch: Partial<FaultConfig>) => void;
  engine: JobEngine;
  /** Temporary keys valid for `seconds`, in STS's shape. */
  issueCredentials: (seconds: number) => IssuedCredentials;
  /** Adds a queue and returns its id. */
  addQueue: (bucket: string | undefined, queueId: string | undefined) => string;
}

function parseJson(body: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new ApiError(400, 'InvalidArgument', 'The request body must be a JSON object.', { cause: err });
  }
}

function putFaults(ctx: AdminContext, body: Buffer): ApiResponse {
  try {
    ctx.setFaults(parseJson(body));
  } catch (err) {
    if (err instanceof InvalidFaultConfigError) throw new ApiError(400, 'InvalidArgument', err.message, { cause: err });
    throw err;
  }
  return jsonResponse(200, ctx.faults());
}

function issue(ctx: AdminContext, body: Buffer): ApiResponse {
  const seconds = parseJson(body).durationSeconds ?? 1800;
  if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TOKEN_SECONDS) {
    throw new ApiError(400, 'InvalidArgument', `durationSeconds must be a whole number 1-${MAX_TOKEN_SECONDS}.`);
  }
  return jsonResponse(200, ctx.issueCredentials(seconds));
}

function addQueue(ctx: AdminContext, body: Buffer): ApiResponse {
  const { bucket, queueId } = parseJson(body);
  const text = (v: unknown, pattern: RegExp) => v === undefined || (typeof v === 'string' && pattern.test(v));
  if (!text(bucket, /^[a-z0-9][a-z0-9-]*-\d+$/) || !text(queueId, /^p[0-9a-f]{32}$/)) {
    throw new ApiError(400, 'InvalidArgument', 'bucket must be name-appid and queueId p + 32 hex, when given.');
  }
  return jsonResponse(200, { queueId: ctx.addQueue(bucket as string | undefined, queueId as string | undefined) });
}

function jobSummaries(engine: JobEngine): unknown {
  return engine.all().map((job) => ({
    jobId: job.jobId,
    state: job.state,
    code: job.code,
    queueId: job.queueId,
    bucket: job.bucket,
    input: job.spec.input,
    userData: job.spec.userData,
    callbackUrl: job.spec.callback.url,
    creationTime: formatCiTime(job.creationMs),
  }));
}

/**
 * The admin API under `/_emulator/` on the bare host (no COS signature; it listens only where the emulator listens):
 * `GET healthz`, `GET counters`, `POST reset-counters`, `GET faults`, `PUT faults` (partial JSON), `DELETE faults`
 * (back to none), `GET jobs`, `POST sts` (`{durationSeconds}` → temporary keys), `POST queues` (`{bucket, queueId}`).
 */
export function handleAdmin(ctx: AdminContext, method: string, pathname: string, body: Buffer): ApiResponse {
  const route = `${method} ${pathname.slice('/_emulator/'.length)}`;
  switch (route) {
    case 'GET healthz':
      return jsonResponse(200, { ok: true });
    case 'GET counters':
      return jsonResponse(200, snapshotCounters(ctx.counters()));
    case 'POST reset-counters':
      ctx.resetCounters();
      return { status: 204 };
    case 'GET faults':
      return jsonResponse(200, ctx.faults());
    case 'PUT faults':
      return putFaults(ctx, body);
    case 'DELETE faults':
      ctx.setFaults(noFaults());
      return jsonResponse(200, ctx.faults());
    case 'POST sts':
      return issue(ctx, body);
    case 'POST queues':
      return addQueue(ctx, body);
    case 'GET jobs':
      return jsonResponse(200, jobSummaries(ctx.engine));
    default:
      throw new ApiError(404, 'NoSuchAdminRoute', `No admin route ${method} ${pathname}.`);
  }
}
