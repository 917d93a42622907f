import type { EmulatorCounters } from './counters';
import { snapshotCounters } from './counters';
import { ApiError } from './errors';
import type { FaultConfig } from './faults';
import { InvalidFaultConfigError, noFaults } from './faults';
import type { ApiResponse } from './http-util';
import { jsonResponse } from './http-util';
import { formatCiTime } from './ci-time';
import type { JobEngine } from './job-engine';

/** What the admin API can see and change. */
export interface AdminContext {
  counters: () => EmulatorCounters;
  resetCounters: () => void;
  faults: () => FaultConfig;
  setFaults: (patch: Partial<FaultConfig>) => void;
  engine: JobEngine;
}

function parseJson(body: Buffer): Partial<FaultConfig> {
  try {
    const value: unknown = JSON.parse(body.toString('utf8') || '{}');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch (err) {
    throw new ApiError(400, 'InvalidArgument', 'The fault config must be a JSON object.', { cause: err });
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
 * (back to none), `GET jobs`.
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
    case 'GET jobs':
      return jsonResponse(200, jobSummaries(ctx.engine));
    default:
      throw new ApiError(404, 'NoSuchAdminRoute', `No admin route ${method} ${pathname}.`);
  }
}
