import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminContext } from './admin';
import { handleAdmin } from './admin';
import type { CiContext } from './ci-routes';
import { handleCi } from './ci-routes';
import { verifyCosRequest } from './cos-signature';
import { handleCos } from './cos-routes';
import { bump } from './counters';
import { ApiError } from './errors';
import { fires, routeFaults, writeFails } from './faults';
import type { ApiResponse } from './http-util';
import { errorResponse, newRequestId, readBody, sendResponse } from './http-util';
import type { ObjectStore } from './object-store';
import type { RequestTarget } from './request-target';
import type { TokenStore } from './sts';
import { ciRouteName, cosRouteName, resolveTarget } from './routing';
import type { ApiRateLimiter } from './rate-limit';
import { ciAuthRejection } from './ci-auth';

/** Everything a request may touch. */
export interface ServerContext extends CiContext, AdminContext {
  objects: ObjectStore;
  /** Permanent and temporary keys requests may be signed with. */
  tokens: TokenStore;
  /** Clock skew tolerated on signatures, seconds. */
  skewSeconds: number;
  defaults: { bucket: string; region: string };
  clock: () => number;
  /** CI's API rate limit, when the emulator plays one. */
  rateLimiter?: ApiRateLimiter;
}

function serviceHeaders(service: RequestTarget['service'] | undefined, requestId: string): Record<string, string> {
  if (service === 'cos') return { server: 'tencent-cos', 'x-cos-request-id': requestId };
  return { server: 'tencent-ci', 'x-ci-request-id': requestId };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** CI's `SlowDown` (error code 1020, row 18) with the status the `throttleStatus` variant names. */
function slowDown(ctx: ServerContext, message: string): ApiError {
  return new ApiError(ctx.variants.throttleStatus, 'SlowDown', message);
}

/** Per-route latency, 5xx and throttling faults; throws the injected error. */
async function injectRouteFaults(ctx: ServerContext, route: string): Promise<void> {
  const faults = routeFaults(ctx.faults(), route);
  if (faults.latencyMs > 0) {
    bump(ctx.counters().faultsInjected, `${route}:latency`);
    await delay(faults.latencyMs);
  }
  if (fires(faults.serverErrorShare)) {
    bump(ctx.counters().faultsInjected, `${route}:5xx`);
    throw new ApiError(500, 'InternalError', 'We encountered an internal error. Please try again. (emulated fault)');
  }
  if (fires(faults.deniedShare)) {
    bump(ctx.counters().faultsInjected, `${route}:denied`);
    throw new ApiError(403, 'AccessDenied', 'Access Denied. (emulated fault)');
  }
  if (fires(faults.throttleShare)) {
    bump(ctx.counters().faultsInjected, `${route}:throttle`);
    throw slowDown(ctx, 'Please reduce your request rate. (emulated fault)');
  }
}

async function handleService(ctx: ServerContext, req: IncomingMessage, target: RequestTarget): Promise<ApiResponse> {
  const method = req.method ?? 'GET';
  const ciRoute = target.service === 'ci' ? ciRouteName(method, target.pathname, target.query) : undefined;
  const route = target.service === 'ci' ? (ciRoute ?? `${method} ci:unknown`) : cosRouteName(method, target.pathname);
  bump(ctx.counters().requests, route);
  // Authenticate from the headers first, as COS does: an unsigned or expired request is refused before its body is
  // read and before any fault fires, so faults never mask an authentication error.
  const request = { method, pathname: target.pathname, query: target.query, headers: req.headers };
  const faults = ctx.faults();
  const keyFor = (id: string) => ctx.tokens.lookup(id, faults);
  const rejection = verifyCosRequest(request, { keyFor, nowMs: ctx.clock(), skewSeconds: ctx.skewSeconds });
  if (rejection) {
    const answer = target.service === 'ci' ? ciAuthRejection(rejection, ctx.variants.authStatus) : rejection;
    bump(ctx.counters().authRejections, answer.code);
    throw new ApiError(answer.status, answer.code, answer.message);
  }
  // CI's API rate limit, counted for signed requests only (an unsigned flood is refused above, as COS does).
  if (target.service === 'ci' && ctx.rateLimiter && !ctx.rateLimiter.take()) {
    bump(ctx.counters().throttled, route);
    throw slowDown(ctx, 'Please reduce your request rate.');
  }
  const body = await readBody(req);
  ctx.counters().bodiesRead++;
  await injectRouteFaults(ctx, route);
  if (target.service === 'cos' && method === 'PUT' && writeFails(ctx.faults(), target.pathname.slice(1))) {
    bump(ctx.counters().faultsInjected, 'PUT object:writeFails');
    throw new ApiError(500, 'InternalError', 'We encountered an internal error. Please try again. (emulated fault)');
  }
  if (target.service === 'cos') return handleCos(ctx.objects, method, target, req.headers, body);
  if (!ciRoute) throw new ApiError(405, 'MethodNotAllowed', `${method} ${target.pathname} is not a CI ASR route.`);
  return handleCi(ctx, ciRoute, target, body);
}

function toErrorResponse(err: unknown, requestId: string, target: RequestTarget | undefined): ApiResponse {
  const apiError =
    err instanceof ApiError ? err : new ApiError(500, 'InternalError', 'The emulator failed to handle the request.');
  if (!(err instanceof ApiError)) console.error('emulator: unexpected error', err);
  return errorResponse(apiError, requestId, target?.service === 'cos' ? target.pathname : undefined);
}

/** The node `request` listener of the emulator. */
export function createRequestHandler(ctx: ServerContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = newRequestId();
    const method = req.method ?? 'GET';
    let target: RequestTarget | undefined;
    const run = async (): Promise<ApiResponse> => {
      target = resolveTarget(req.url ?? '/', req.headers.host, ctx.defaults, requestId);
      if (target.service === 'admin') return handleAdmin(ctx, method, target.pathname, await readBody(req));
      return handleService(ctx, req, target);
    };
    run()
      .catch((err: unknown) => toErrorResponse(err, requestId, target))
      .then((response) => {
        const headers = target?.service === 'admin' ? {} : serviceHeaders(target?.service, requestId);
        sendResponse(res, { ...response, headers: { ...headers, ...response.headers } }, method);
      })
      .catch((err: unknown) => {
        console.error('emulator: could not write a response', err);
        res.destroy();
      });
  };
}
