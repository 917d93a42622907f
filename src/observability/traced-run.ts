import type {
  Next,
  WorkflowInboundCallsInterceptor,
  WorkflowInternalsInterceptor,
  WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';

/**
 * The header `@temporalio/interceptors-opentelemetry` carries the trace context in (its `TRACE_HEADER`; a unit test
 * keeps the two equal). Spelled out here so that an untraced run does not evaluate the OpenTelemetry modules at all.
 */
export const TRACE_HEADER = '_tracer-data';

/** The tracing interceptors of a traced run, made only once the run is known to be traced. */
export interface RunTracers {
  inbound: WorkflowInboundCallsInterceptor;
  outbound: WorkflowOutboundCallsInterceptor;
  internals: WorkflowInternalsInterceptor;
}

type Inbound = Required<WorkflowInboundCallsInterceptor>;
type Outbound = Required<WorkflowOutboundCallsInterceptor>;

/**
 * Calls `method` of the run's tracer when the run is traced, `next` otherwise. The OpenTelemetry interceptors define
 * every method this module forwards; a method they lack is passed on as well.
 */
function forward<I extends object, M extends keyof I>(
  tracer: I | undefined,
  method: M,
  input: unknown,
  next: unknown,
): unknown {
  const own = tracer?.[method] as ((input: unknown, next: unknown) => unknown) | undefined;
  return own ? own.call(tracer, input, next) : (next as (input: unknown) => unknown)(input);
}

/**
 * Tracing interceptors of one run that cost nothing when the run is not traced. The run is traced when its start
 * carried a trace context (the {@link TRACE_HEADER} header): a fact of history, the same on every replay and every
 * worker. `makeTracers` is called once, when a traced run starts; an untraced run passes every call on untouched, so
 * it creates no span and draws no span id from the workflow's seeded `Math.random`.
 *
 * `makeTracers` is where the OpenTelemetry modules should be loaded: evaluating them is most of what tracing cost an
 * untraced run (the SDK evaluates a bundle's interceptor modules again for every run).
 *
 * Signals and updates that arrive with the start are buffered by the SDK until the workflow function registers their
 * handlers, that is after `execute` has decided, so no call is intercepted before the decision.
 */
export function tracedRunInterceptors(makeTracers: () => RunTracers): RunTracers {
  let tracers: RunTracers | undefined;
  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input, next) {
      if (input.headers[TRACE_HEADER] === undefined) return next(input);
      tracers = makeTracers();
      return forward(tracers.inbound, 'execute', input, next) as ReturnType<Inbound['execute']>;
    },
    handleSignal: (input, next) =>
      forward(tracers?.inbound, 'handleSignal', input, next) as ReturnType<Inbound['handleSignal']>,
    handleUpdate: (input, next) =>
      forward(tracers?.inbound, 'handleUpdate', input, next) as ReturnType<Inbound['handleUpdate']>,
    validateUpdate: (input, next) =>
      forward(tracers?.inbound, 'validateUpdate', input, next) as ReturnType<Inbound['validateUpdate']>,
    handleQuery: (input, next) =>
      forward(tracers?.inbound, 'handleQuery', input, next) as ReturnType<Inbound['handleQuery']>,
  };
  const out = <M extends keyof Outbound>(method: M) =>
    ((input: unknown, next: Next<WorkflowOutboundCallsInterceptor, M>) =>
      forward(tracers?.outbound, method, input, next)) as unknown as Outbound[M];
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: out('scheduleActivity'),
    scheduleLocalActivity: out('scheduleLocalActivity'),
    startNexusOperation: out('startNexusOperation'),
    startChildWorkflowExecution: out('startChildWorkflowExecution'),
    continueAsNew: out('continueAsNew'),
    signalWorkflow: out('signalWorkflow'),
    getLogAttributes: out('getLogAttributes'),
  };
  const internals: WorkflowInternalsInterceptor = {
    dispose: (input, next) => forward(tracers?.internals, 'dispose', input, next) as void,
  };
  return { inbound, outbound, internals };
}
