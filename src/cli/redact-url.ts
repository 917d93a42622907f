/** Query parameters of callback URLs that grant delivery: the receiver's queue token and per-workflow signatures. */
const SECRET_PARAMS = ['token', 'sig'];

/**
 * `url` with the values of its secret query parameters replaced by `redacted`: a queue's callback URL carries the
 * receiver's queue token, which must not end up in terminals, CI logs or shell history through this command's output.
 */
export function redactCallbackUrl(url: string): string {
  try {
    const parsed = new URL(url);
    let changed = false;
    for (const name of SECRET_PARAMS) {
      if (parsed.searchParams.has(name)) {
        parsed.searchParams.set(name, 'redacted');
        changed = true;
      }
    }
    return changed ? parsed.toString() : url;
  } catch {
    return url;
  }
}
