import { CALLBACK_PATH_PREFIX, CALLBACK_V2_PATH_PREFIX } from '../callback/token';

/** The workflow a callback path names, and the token format it was minted in. */
export interface CallbackTarget {
  version: 1 | 2;
  workflowId: string;
}

/** Workflow ids are at most 1000 bytes in Temporal's default config; base64url of that is under 1400 characters. */
const B64URL = /^[A-Za-z0-9_-]{1,1400}$/;

/** Splits `req.url` by hand: WHATWG URL parsing would resolve `..` and rewrite the path the token was minted for. */
export function splitUrl(raw: string): { path: string; query: string } {
  const q = raw.indexOf('?');
  return q < 0 ? { path: raw, query: '' } : { path: raw.slice(0, q), query: raw.slice(q + 1) };
}

/** Strict unpadded base64url of UTF-8: only the canonical spelling of valid UTF-8 text decodes. */
function decodeBase64Url(text: string): string | undefined {
  if (!B64URL.test(text)) return undefined;
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  return Buffer.from(decoded, 'utf8').toString('base64url') === text ? decoded : undefined;
}

/**
 * The target of a callback path, or `undefined` when the path is not one: `/ci/callback/v2/<base64url id>` (v2) or
 * `/ci/callback/<percent-encoded id>` (v1, one segment).
 */
export function callbackTarget(path: string): CallbackTarget | undefined {
  if (path.startsWith(CALLBACK_V2_PATH_PREFIX)) {
    const workflowId = decodeBase64Url(path.slice(CALLBACK_V2_PATH_PREFIX.length));
    return workflowId ? { version: 2, workflowId } : undefined;
  }
  if (!path.startsWith(CALLBACK_PATH_PREFIX)) return undefined;
  const encoded = path.slice(CALLBACK_PATH_PREFIX.length);
  if (!encoded || encoded.includes('/')) return undefined;
  try {
    return { version: 1, workflowId: decodeURIComponent(encoded) };
  } catch {
    return undefined;
  }
}
