import { Counter, Histogram, Registry } from 'prom-client';

/** Why the receiver refused a request; the `reason` label of `ci_callback_rejected_total`. */
export type RejectReason =
  | 'not_found'
  | 'method_not_allowed'
  | 'token_missing'
  | 'token_malformed'
  | 'token_invalid'
  | 'token_expired'
  | 'unsupported_media_type'
  | 'body_too_large'
  | 'request_timeout'
  | 'malformed_body'
  | 'doctype'
  | 'missing_fields'
  | 'workflow_not_found'
  | 'workflow_closed'
  | 'temporal_rejected'
  | 'temporal_unavailable'
  | 'bad_request'
  | 'rate_limited'
  | 'wrong_job'
  | 'job_not_found'
  | 'internal';

/** What became of one `JobsDetail` entry; the `verdict` label of `ci_callback_entries_total`. */
export type EntryMetric =
  | 'delivered'
  | 'wrong_job'
  | 'other_job'
  | 'not_final'
  | 'duplicate'
  | 'finished'
  | 'rate_limited'
  | 'not_ours'
  | 'job_not_found';

/** Prometheus metrics of one receiver, in a private registry so several receivers can share a process. */
export class ReceiverMetrics {
  readonly registry = new Registry();
  private readonly accepted = this.counter(
    'ci_callback_accepted_total',
    'CI callbacks answered 2xx after Temporal accepted every signal.',
    [],
  );
  private readonly rejected = this.counter('ci_callback_rejected_total', 'Requests refused, by reason.', ['reason']);
  private readonly signalSeconds = new Histogram({
    name: 'ci_callback_signal_duration_seconds',
    help: 'Time for Temporal to accept (or refuse) one callback signal, in seconds.',
    labelNames: ['outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly entries = this.counter(
    'ci_callback_entries_total',
    'JobsDetail entries of authenticated callbacks, by what became of them.',
    ['verdict'],
  );

  /** A counter in this receiver's registry. */
  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** Counts one entry's fate. */
  entry(verdict: EntryMetric): void {
    this.entries.inc({ verdict });
  }

  /** Counts one callback accepted. */
  accept(): void {
    this.accepted.inc();
  }

  /** Counts one request refused for `reason`. */
  reject(reason: RejectReason): void {
    this.rejected.inc({ reason });
  }

  /** Records how long one signal call took and how it ended. */
  observeSignal(seconds: number, outcome: string): void {
    this.signalSeconds.observe({ outcome }, seconds);
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
