import { ApiError } from './errors';
import type { RequestTarget } from './request-target';
import { isSetupPath, setupRouteName } from './setup/routes';

const VIRTUAL_HOST = /^([a-z0-9][a-z0-9-]*-\d+)\.(ci|cos)\.([a-z0-9-]+)\.myqcloud\.com(?::\d+)?$/i;
const REGION_HOST = /^ci\.([a-z0-9-]+)\.myqcloud\.com(?::\d+)?$/i;
const CI_PATH = /^\/(asr_jobs|jobs)(\/|$)/;

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch (err) {
    throw new ApiError(400, 'InvalidURI', `Could not decode "${text}".`, { cause: err });
  }
}

/** Splits a raw query string without turning `+` into a space (COS SDKs send `+` as `%2B`). */
export function parseQuery(raw: string): Array<[string, string]> {
  return raw
    .split('&')
    .filter((part) => part.length > 0)
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
    });
}

/**
 * Resolves a request: origin-form (`/asr_jobs`) or absolute-form (`http://b-1.ci.ap-x.myqcloud.com/asr_jobs`, sent
 * by clients using the emulator as an HTTP proxy) target, routed by the virtual host; a bare host serves the default
 * bucket, with `/asr_jobs` and `/jobs` going to CI, `/_emulator/` to the admin API and everything else to COS.
 */
export function resolveTarget(
  rawUrl: string,
  hostHeader: string | undefined,
  defaults: { bucket: string; region: string },
  requestId = '',
): RequestTarget {
  let host = hostHeader ?? '';
  let rest = rawUrl;
  const absolute = /^https?:\/\/([^/?#]+)(.*)$/i.exec(rawUrl);
  if (absolute) {
    host = absolute[1] ?? host;
    rest = absolute[2] || '/';
  }
  const q = rest.indexOf('?');
  const pathname = decode(q < 0 ? rest : rest.slice(0, q));
  const query = parseQuery(q < 0 ? '' : rest.slice(q + 1));
  const virtual = VIRTUAL_HOST.exec(host);
  if (virtual) {
    return {
      service: virtual[2]!.toLowerCase() as 'ci' | 'cos',
      bucket: virtual[1]!,
      region: virtual[3]!,
      host,
      pathname,
      query,
      requestId,
    };
  }
  const regional = REGION_HOST.exec(host);
  if (regional) return { service: 'ci', bucket: '', region: regional[1]!, host, pathname, query, requestId };
  if (/\.myqcloud\.com(:\d+)?$/i.test(host)) {
    throw new ApiError(400, 'InvalidHost', `The emulator does not serve host "${host}".`);
  }
  const ci = CI_PATH.test(pathname) || isSetupPath(pathname);
  const service = pathname.startsWith('/_emulator/') ? 'admin' : ci ? 'ci' : 'cos';
  return { service, ...defaults, host, pathname, query, requestId };
}

/** The route name of a CI request, as counters and per-route faults name it; `undefined` when unknown. */
export function ciRouteName(
  method: string,
  pathname: string,
  query: ReadonlyArray<[string, string]>,
): string | undefined {
  const m = /^\/(asr_jobs|jobs)(?:\/([^/]+))?\/?$/.exec(pathname);
  if (!m) return setupRouteName(method, pathname);
  const [, base, ids] = m;
  if (method === 'POST' && ids === undefined) return `POST /${base}`;
  if (method === 'GET') return ids === undefined ? `GET /${base}` : `GET /${base}/:ids`;
  if (method === 'PUT' && base === 'jobs' && ids !== undefined && query.some(([k]) => k === 'cancel')) {
    return 'PUT /jobs/:id?cancel';
  }
  return undefined;
}

/** The route name of a COS request (`GET bucket` for the root path, else `<METHOD> object`). */
export function cosRouteName(method: string, pathname: string): string {
  return pathname === '/' ? `${method} bucket` : `${method} object`;
}
