import type { ServerResponse } from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { packageTracer } from '../shared/tracer';

/**
 * Query parameter of the callback URL that carries the submitting activity's W3C `traceparent`, so the receiver's
 * handling of CI's callback joins the transcription's trace. CI calls the URL back verbatim; a trace id is no secret
 * and is not covered by the token's MAC, so the receiver reads it only after the token has been verified.
 */
export const TRACE_PARAM = 'traceparent';

/** Appends the active span's `traceparent` to a callback URL; returns it unchanged while tracing is off. */
export function withTraceContext(url: string): string {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  const traceparent = carrier.traceparent;
  if (!traceparent || !trace.getSpanContext(context.active())) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${TRACE_PARAM}=${encodeURIComponent(traceparent)}`;
}

/**
 * Runs the handling of one verified callback in a SERVER span, the child of the span that minted the URL when the URL
 * carries one. The span has the route template and status, never the query (which holds the token). When the handler
 * throws, the server answers 500 after this returns: the span says so (status, error type) rather than the 200 a
 * response not yet written reports.
 */
export async function inCallbackSpan(
  query: string,
  res: ServerResponse,
  handle: () => Promise<void>,
  route = '/ci/callback/{workflowId}',
): Promise<void> {
  const traceparent = new URLSearchParams(query).getAll(TRACE_PARAM);
  const parent =
    traceparent.length === 1 ? propagation.extract(ROOT_CONTEXT, { traceparent: traceparent[0] }) : ROOT_CONTEXT;
  const attributes = { 'http.request.method': 'POST', 'http.route': route };
  await packageTracer().startActiveSpan(
    `POST ${route}`,
    { kind: SpanKind.SERVER, attributes },
    parent,
    async (span) => {
      try {
        await handle();
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      } catch (err) {
        // Name only, as in the log line: messages of unexpected errors may carry internals.
        const type = err instanceof Error ? err.name : typeof err;
        span.setAttributes({ 'http.response.status_code': res.headersSent ? res.statusCode : 500, 'error.type': type });
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
