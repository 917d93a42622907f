import type { ClientOptions, ConnectionOptions, WorkflowHandle } from '@temporalio/client';
import {
  Client,
  Connection,
  isGrpcServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ciCallbackSignal, ciCallbackUpdate, transcriptionStatusQuery } from '../workflows/messages';
import type { CallbackRefusal, CiCallbackSignal } from '../workflows/messages';
import { CI_JOB_ID } from '../shared/search-attributes';

/** How one signal attempt ended, from the sender's point of view. */
export type SignalOutcome =
  'ok' | 'workflow_not_found' | 'workflow_closed' | 'temporal_rejected' | 'temporal_unavailable';

/** How delivering one callback entry ended: taken (with the run's job id when it told), refused by its validator, or failed. */
export type DeliveryOutcome =
  | { outcome: 'ok'; jobId?: string; viaSignal: boolean }
  | { outcome: 'refused'; refusal: CallbackRefusal }
  | { outcome: Exclude<SignalOutcome, 'ok'>; error?: FailureDetail };

/** What Temporal answered when a call failed: the gRPC status code (when there was one) and the message, for logs. */
export interface FailureDetail {
  grpcCode?: number;
  /** The error's message (Temporal's or gRPC's text: never a secret, the receiver sends none). */
  error: string;
  /** Milliseconds from the start of the delivery to the failure. */
  afterMs: number;
}

/** What a visibility lookup by CI job id found: the ids of the workflows whose `CiJobId` is that job. */
export type JobOwnersAnswer = { outcome: 'ok'; workflowIds: string[] } | { outcome: 'temporal_unavailable' };

/** More executions than this for one CI job id means something other than this package wrote `CiJobId`. */
const MAX_JOB_OWNERS = 5;

const REFUSALS: ReadonlySet<string> = new Set<CallbackRefusal>(['finished', 'other_job', 'not_final', 'duplicate']);

/** The validator's refusal, or `undefined` when the update failed for another reason (no handler: older code). */
function refusalOf(err: WorkflowUpdateFailedError): CallbackRefusal | undefined {
  const message = err.cause?.message ?? '';
  return REFUSALS.has(message) ? (message as CallbackRefusal) : undefined;
}

/** gRPC codes that mean "the request itself is wrong"; every other failure is treated as transient. */
const REJECTED_CODES = new Set([3 /* INVALID_ARGUMENT */, 9 /* FAILED_PRECONDITION */, 11 /* OUT_OF_RANGE */]);

/** Races `promise` against a timer so a hung connect cannot hold a request open. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function grpcCode(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return e.code;
  }
  return undefined;
}

/**
 * The receiver's only door to Temporal. Gets a client from the factory on first use and again after the factory
 * failed, so the receiver starts (and says so on `/healthz`) while Temporal is down. Every call carries a deadline:
 * the SDK retries UNAVAILABLE on its own and would otherwise hold the HTTP request for a long time.
 */
export class TemporalGateway {
  private client?: Promise<Client>;
  private readonly owned: Client[] = [];
  private closed = false;

  constructor(
    private readonly factory: () => Promise<Client>,
    private readonly timeoutMs: number,
  ) {}

  private async getClient(deadline: number): Promise<Client> {
    if (this.closed) throw new Error('the receiver is closed');
    if (!this.client) {
      const pending = this.factory().then(async (client) => {
        if (this.closed) {
          await client.connection.close();
          throw new Error('the receiver is closed');
        }
        this.owned.push(client);
        return client;
      });
      pending.catch(() => {
        if (this.client === pending) this.client = undefined;
      });
      this.client = pending;
    }
    return withTimeout(this.client, Math.max(1, deadline - Date.now()), 'connecting to Temporal');
  }

  /**
   * Delivers one callback entry as the `ciJobCallbackUpdate` update, whose validator may refuse it without writing
   * history; as the `ciJobCallback` signal when `viaSignal` or when the workflow has no handler for the update (code
   * that predates it). Resolves to how it went (never throws for Temporal failures).
   */
  async deliver(workflowId: string, payload: CiCallbackSignal, viaSignal: boolean): Promise<DeliveryOutcome> {
    const started = Date.now();
    const deadline = started + this.timeoutMs;
    const detail = (err: unknown): FailureDetail => ({
      grpcCode: grpcCode(err),
      error: err instanceof Error ? err.message : String(err),
      afterMs: Date.now() - started,
    });
    let client: Client;
    try {
      client = await this.getClient(deadline);
    } catch (err) {
      return { outcome: 'temporal_unavailable', error: detail(err) };
    }
    const handle = client.workflow.getHandle(workflowId);
    try {
      if (!viaSignal) {
        try {
          const ack = await client.connection.withDeadline(deadline, () =>
            handle.executeUpdate(ciCallbackUpdate, { args: [payload] }),
          );
          return { outcome: 'ok', jobId: ack.jobId, viaSignal: false };
        } catch (err) {
          if (!(err instanceof WorkflowUpdateFailedError)) throw err;
          const refusal = refusalOf(err);
          if (refusal) return { outcome: 'refused', refusal };
        }
      }
      await client.connection.withDeadline(deadline, () => handle.signal(ciCallbackSignal, payload));
      return { outcome: 'ok', viaSignal: true };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) {
        const rejected = REJECTED_CODES.has(grpcCode(err) ?? -1);
        return { outcome: rejected ? 'temporal_rejected' : 'temporal_unavailable', error: detail(err) };
      }
    }
    return { outcome: await this.whyNotFound(handle, client, deadline) };
  }

  /** The run's CI job from its status query (no history is written), or `undefined` when it cannot tell. */
  async ownJob(workflowId: string): Promise<string | undefined> {
    const deadline = Date.now() + this.timeoutMs;
    try {
      const client = await this.getClient(deadline);
      const handle = client.workflow.getHandle(workflowId);
      const status = await client.connection.withDeadline(deadline, () => handle.query(transcriptionStatusQuery));
      return typeof status?.jobId === 'string' ? status.jobId : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The workflows whose `CiJobId` search attribute is `jobId` (visibility, so eventually consistent: a run that has
   * just upserted it may not be listed yet). Distinct ids, open and closed runs alike: signalling by workflow id
   * reaches the chain's current run. `jobId` must be a CI job id (letters, digits, `-`, `_`), never quoted text.
   */
  async jobOwners(jobId: string): Promise<JobOwnersAnswer> {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(jobId)) return { outcome: 'ok', workflowIds: [] };
    const deadline = Date.now() + this.timeoutMs;
    try {
      const client = await this.getClient(deadline);
      const ids = new Set<string>();
      await client.connection.withDeadline(deadline, async () => {
        const query = `${CI_JOB_ID.name} = '${jobId}'`;
        for await (const execution of client.workflow.list({ query, pageSize: MAX_JOB_OWNERS })) {
          ids.add(execution.workflowId);
          if (ids.size >= MAX_JOB_OWNERS) break;
        }
      });
      return { outcome: 'ok', workflowIds: [...ids] };
    } catch {
      return { outcome: 'temporal_unavailable' };
    }
  }

  private async whyNotFound(
    handle: WorkflowHandle,
    client: Client,
    deadline: number,
  ): Promise<Exclude<SignalOutcome, 'ok'>> {
    // Temporal answers NOT_FOUND both for unknown and for closed workflows; describe tells them apart.
    try {
      const description = await client.connection.withDeadline(deadline, () => handle.describe());
      return description.status.name === 'RUNNING' ? 'temporal_unavailable' : 'workflow_closed';
    } catch (err) {
      return err instanceof WorkflowNotFoundError ? 'workflow_not_found' : 'temporal_unavailable';
    }
  }

  /** Whether Temporal answers for the namespace within the timeout. */
  async healthy(): Promise<boolean> {
    const deadline = Date.now() + this.timeoutMs;
    try {
      const client = await this.getClient(deadline);
      await client.connection.withDeadline(deadline, () =>
        client.workflowService.describeNamespace({ namespace: client.options.namespace }),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** Closes the connections of every client this gateway obtained from the factory. */
  async close(): Promise<void> {
    this.closed = true;
    this.client = undefined;
    await Promise.allSettled(this.owned.splice(0).map((client) => client.connection.close()));
  }
}

/** Options for {@link createTemporalClientFactory}. */
export interface TemporalClientFactoryOptions {
  connectionOptions: ConnectionOptions;
  /** Temporal namespace; default `default`. */
  namespace?: string;
  /** Extra client options (interceptors, identity). */
  clientOptions?: Omit<ClientOptions, 'connection' | 'namespace'>;
}

/**
 * A factory of clients over a lazy connection: creating one never waits for the server, and gRPC reconnects by
 * itself. The reconnect backoff is capped at 5 s (gRPC's default grows to 2 min) so recovery after an outage is quick.
 */
export function createTemporalClientFactory(options: TemporalClientFactoryOptions): () => Promise<Client> {
  return () => {
    const connection = Connection.lazy({
      ...options.connectionOptions,
      channelArgs: { 'grpc.max_reconnect_backoff_ms': 5_000, ...options.connectionOptions.channelArgs },
    });
    return Promise.resolve(
      new Client({ ...options.clientOptions, connection, namespace: options.namespace ?? 'default' }),
    );
  };
}
