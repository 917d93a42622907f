import { Readable } from 'node:stream';

/** What this body needs of the HTTP request the SDK pipes it into (cos-request's `Request`). */
interface SdkRequest {
  abort?: () => void;
  emit(event: string, ...args: unknown[]): boolean;
  listenerCount(event: string): number;
}

/**
 * The body of one submit, handed to `cos.request()` as a stream, which cos-nodejs-sdk-v5 never re-sends (a stream
 * body turns its retries off). It is also how a submit is counted and torn down, since the SDK exposes neither:
 *
 * - Every send pipes the body into a new HTTP request (base.js `_submitRequest`: `readStream.pipe(sender)`), so
 *   `onSend` runs once per request that went on the wire.
 * - `abandon` aborts that request (`sender.abort()`: the socket, not just the body, so a POST already written is cut
 *   off too) and fails the SDK's call through the request's own `'error'` listener. Abandoned before the SDK piped it
 *   (its signing hook still waiting for credentials), the request is aborted as the SDK pipes the body, before it
 *   starts (cos-request starts on the next tick), so nothing is sent.
 *
 * The body itself never emits `'error'`: until the SDK pipes it nobody listens, and an unheard `'error'` event would
 * crash the worker process.
 */
export class SubmitBody extends Readable {
  private request: SdkRequest | undefined;
  private abandonedWith: Error | undefined;
  private pushed = false;

  constructor(
    private readonly bytes: Buffer,
    private readonly onSend?: () => void,
  ) {
    super();
  }

  override _read(): void {
    if (this.pushed) return;
    this.pushed = true;
    this.push(this.bytes);
    this.push(null);
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    this.request = destination;
    if (this.abandonedWith) {
      abort(this.request, this.abandonedWith);
      return destination;
    }
    this.onSend?.();
    return super.pipe(destination, options);
  }

  /** Aborts the request this body is (or will be) sent in; the call fails with `reason`. Idempotent. */
  abandon(reason: unknown): void {
    if (this.abandonedWith) return;
    this.abandonedWith = reason instanceof Error ? reason : new Error('submit aborted');
    if (this.request) abort(this.request, this.abandonedWith);
  }
}

function abort(request: SdkRequest, reason: Error): void {
  request.abort?.();
  // cos-request reports nothing after `abort()`; its error event settles the SDK's callback (the SDK listens before
  // it pipes the body). Never emitted without a listener.
  if (request.listenerCount('error') > 0) request.emit('error', reason);
}
