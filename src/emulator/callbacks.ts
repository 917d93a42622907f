import { jobsDetail } from './job-detail';
import type { EmulatedJob } from './job-model';
import type { EmulatorCounters } from './counters';
import { bump } from './counters';
import type { FaultConfig } from './faults';
import { fires } from './faults';
import { buildXml } from './xml';
import type { XmlObject, XmlValue } from './xml';
import type { EmulatorVariants } from './variants';

/** How callbacks are retried: attempts in all, and the first backoff (doubled after each failure). */
export interface CallbackRetry {
  attempts: number;
  baseDelayMs: number;
}

/** Free-text fields that stay strings even when they look numeric (a user's `UserData` "42" is no number). */
const TEXT_FIELDS = new Set([
  'UserData',
  'Object',
  'Url',
  'Word',
  'Result',
  'FinalSentence',
  'SliceSentence',
  'Message',
]);

/** Numeric leaves as JSON numbers (the `number` leaf variant); ids, times and free text stay strings. */
function numericLeaves(value: XmlValue, key = ''): unknown {
  if (typeof value === 'string') {
    return !TEXT_FIELDS.has(key) && /^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(value) ? Number(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => numericLeaves(v, key));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numericLeaves(v, k)]));
}

/**
 * The callback body and its Content-Type for a finished job. JSON: no `Response` wrapper; `JobsDetail` an array or
 * one object, leaves strings or numbers, as the variants say (row 24: the sources disagree).
 */
export function callbackBody(
  job: EmulatedJob,
  variants: Pick<EmulatorVariants, 'resultSpacing' | 'jsonCallbackDetail' | 'jsonCallbackLeaves'>,
): { body: string; contentType: string } {
  const detail = jobsDetail(job, variants);
  if (job.spec.callback.format === 'JSON') {
    const leaves = variants.jsonCallbackLeaves === 'number' ? numericLeaves(detail) : detail;
    const jobsDetailValue = variants.jsonCallbackDetail === 'array' ? [leaves] : leaves;
    return {
      body: JSON.stringify({ EventName: 'TaskFinish', JobsDetail: jobsDetailValue }),
      contentType: 'application/json',
    };
  }
  const document: XmlObject = { Response: { EventName: 'TaskFinish', JobsDetail: detail } };
  return { body: buildXml(document), contentType: 'application/xml' };
}

/** Delivers job-finished callbacks with retries and the callback faults of {@link FaultConfig}. */
export class CallbackDispatcher {
  private held: EmulatedJob[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly deps: {
      counters: () => EmulatorCounters;
      faults: () => FaultConfig;
      timeoutMs: number;
      retry: CallbackRetry;
      variants: EmulatorVariants;
    },
  ) {}

  /** Whether the job has a URL callback to send (`no` and TDMQ callbacks are not sent). */
  static wants(job: EmulatedJob): boolean {
    const { url, type } = job.spec.callback;
    return type === 'Url' && url !== undefined && url !== 'no';
  }

  /** Queues the callback of a finished job, applying drop, delay, duplicate and reorder faults. */
  notify(job: EmulatedJob): void {
    if (!CallbackDispatcher.wants(job)) return;
    const faults = this.deps.faults();
    if (fires(faults.callbackDropShare)) {
      bump(this.deps.counters().faultsInjected, 'callback:drop');
      return;
    }
    this.held.push(job);
    if (this.held.length >= faults.callbackReorderWindow) this.flush();
  }

  /** Sends held callbacks now, newest first (the out-of-order fault). */
  flush(): void {
    const batch = this.held.reverse();
    this.held = [];
    if (batch.length > 1) bump(this.deps.counters().faultsInjected, 'callback:reorder');
    for (const job of batch) this.track(this.sendWithFaults(job, this.deps.faults().callbackDelayMs));
  }

  /** Sends a callback right away and resolves when done (the "before the submit response" fault). */
  async sendNow(job: EmulatedJob): Promise<void> {
    if (!CallbackDispatcher.wants(job)) return;
    bump(this.deps.counters().faultsInjected, 'callback:early');
    await this.sendWithFaults(job, 0);
  }

  /** Stops pending retries and waits for deliveries in flight. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private track(promise: Promise<void>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }

  private async sendWithFaults(job: EmulatedJob, delayMs: number): Promise<void> {
    if (delayMs > 0) {
      bump(this.deps.counters().faultsInjected, 'callback:delay');
      await this.sleep(delayMs);
    }
    await this.deliver(job);
    if (fires(this.deps.faults().callbackDuplicateShare)) {
      bump(this.deps.counters().faultsInjected, 'callback:duplicate');
      await this.deliver(job);
    }
  }

  private async deliver(job: EmulatedJob): Promise<void> {
    const { body, contentType } = callbackBody(job, this.deps.variants);
    let backoff = this.deps.retry.baseDelayMs;
    for (let attempt = 1; attempt <= this.deps.retry.attempts && !this.abort.signal.aborted; attempt++) {
      if (await this.attempt(job.spec.callback.url!, body, contentType)) return;
      if (attempt < this.deps.retry.attempts) await this.sleep(backoff);
      backoff *= 2;
    }
  }

  /** One POST; `true` when done (2xx, or a 4xx that a retry would not fix). */
  private async attempt(url: string, body: string, contentType: string): Promise<boolean> {
    this.deps.counters().callbacksSent++;
    try {
      const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.deps.timeoutMs)]);
      const response = await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType, 'user-agent': 'tencent-ci-emulator' },
        signal,
      });
      await response.arrayBuffer();
      if (response.ok) this.deps.counters().callbacksDelivered++;
      return response.status < 500 && response.status !== 429;
    } catch {
      return false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.abort.signal;
      // The listener is removed when the timer fires, so thousands of delayed callbacks do not pile up listeners.
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
