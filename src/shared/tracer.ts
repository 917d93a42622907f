import type { Tracer } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';

/** Instrumentation scope of every span this package creates itself (CI/COS calls, callback handling). */
export const TRACER_NAME = 'temporal-tencent-ci-asr';

/** This package's tracer: the global provider's, or the API's no-op tracer while tracing is off. */
export function packageTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}
