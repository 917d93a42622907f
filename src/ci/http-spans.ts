import type { Span } from '@opentelemetry/api';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { CiAction } from './errors';
import { toCiError } from './classify';
import { packageTracer } from '../shared/tracer';

/** `METHOD route` of each SDK call: route templates, never real keys or job ids (cardinality, privacy). */
const ROUTES: Record<CiAction, string> = {
  submit: 'POST /asr_jobs',
  get: 'GET /asr_jobs/{jobIds}',
  list: 'GET /asr_jobs',
  cancel: 'PUT /jobs/{jobId}?cancel',
  putObject: 'PUT /{key}',
  getObject: 'GET /{key}',
  headObject: 'HEAD /{key}',
  listObjects: 'GET /?prefix',
  openBucket: 'POST /asrbucket',
  closeBucket: 'DELETE /asrbucket',
  describeBuckets: 'GET /asrbucket',
  describeQueues: 'GET /asrqueue',
  updateQueue: 'PUT /asrqueue/{queueId}',
  createTemplate: 'POST /template',
  listTemplates: 'GET /template',
  updateTemplate: 'PUT /template/{templateId}',
  deleteTemplate: 'DELETE /template/{templateId}',
  createHotVocabTable: 'POST /asrhotvocabtable',
  getHotVocabTable: 'GET /asrhotvocabtable/{tableId}',
  listHotVocabTables: 'GET /asrhotvocabtable',
  updateHotVocabTable: 'PUT /asrhotvocabtable',
  deleteHotVocabTable: 'DELETE /asrhotvocabtable/{tableId}',
};

/** Object calls go to the COS host, job calls to the CI host. */
const COS_ACTIONS = new Set<CiAction>(['putObject', 'getObject', 'headObject', 'listObjects']);

/** The part of an SDK answer this module reads: status and response headers (never request headers). */
interface SdkAnswer {
  statusCode?: unknown;
  headers?: Record<string, unknown>;
}

function requestIdOf(headers: Record<string, unknown> | undefined): string | undefined {
  const id = headers?.['x-ci-request-id'] ?? headers?.['x-cos-request-id'];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function recordAnswer(span: Span, answer: SdkAnswer | undefined): void {
  if (typeof answer?.statusCode === 'number') span.setAttribute('http.response.status_code', answer.statusCode);
  const requestId = requestIdOf(answer?.headers);
  if (requestId) span.setAttribute('tencent.request_id', requestId);
}

/**
 * Runs one cos-nodejs-sdk-v5 call in a CLIENT span named like `CI submit` / `COS getObject`, with the method, route
 * template, status, CI/COS request id and error code. Only these fields are read: the SDK's request (signature,
 * `Authorization`, security token) never reaches an attribute. The SDK's own re-sends happen inside the one span.
 */
export async function inSdkSpan<T>(action: CiAction, run: () => Promise<T>): Promise<T> {
  const [method, route] = ROUTES[action].split(' ') as [string, string];
  const service = COS_ACTIONS.has(action) ? 'cos' : 'ci';
  const attributes = {
    'http.request.method': method,
    'http.route': route,
    'tencent.service': service,
    'tencent.action': action,
  };
  return await packageTracer().startActiveSpan(
    `${service.toUpperCase()} ${action}`,
    { kind: SpanKind.CLIENT, attributes },
    async (span) => {
      try {
        const result = await run();
        recordAnswer(span, result as SdkAnswer);
        return result;
      } catch (err) {
        recordAnswer(span, err as SdkAnswer);
        // Classified the same way as the error the caller sees; no secrets are needed because only the code is kept.
        const { code } = toCiError(err, { action, target: '', secrets: [] });
        span.setAttribute('tencent.error_code', code);
        span.setStatus({ code: SpanStatusCode.ERROR, message: code });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
