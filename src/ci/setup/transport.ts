import type COS from 'cos-nodejs-sdk-v5';
import { toCiError } from '../classify';
import type { ClassifyContext } from '../classify';
import type { CiCallOptions } from '../types';
import { CiError } from '../errors';
import { callSdk } from '../sdk-call';
import type { CredentialHooks } from '../signing';
import type { CiSetupAction } from './types';

/** One setup request: what it does (for errors), where it goes and what it carries. */
export interface SetupCall {
  action: CiSetupAction;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path without the leading `/`, e.g. `asrqueue/p123`. */
  path: string;
  /** What the call addressed, for error messages. */
  target: string;
  query?: Record<string, string>;
  /** XML body (sent as `application/xml`). */
  body?: string;
  /** Send to the region host `ci.<region>.myqcloud.com` instead of the bucket host. */
  regional?: boolean;
}

/** Where setup requests go and how their failures are reported. */
export interface SetupTransportOptions {
  cos: COS;
  bucket: string;
  region: string;
  baseUrl: string;
  regionUrl: string;
  secrets: readonly string[];
  credentials?: CredentialHooks;
}

/** Sends setup requests through `cos.request()` and turns failures into `CiError`s. */
export class SetupTransport {
  constructor(private readonly o: SetupTransportOptions) {}

  /** `bucket (region)`, the target of bucket-wide calls. */
  where(): string {
    return `${this.o.bucket} (${this.o.region})`;
  }

  /** Sends `call` and returns the SDK's parsed body. */
  async send(call: SetupCall, options: CiCallOptions): Promise<unknown> {
    const url = `${call.regional ? this.o.regionUrl : this.o.baseUrl}/${call.path}`;
    const body = call.body === undefined ? undefined : Buffer.from(call.body, 'utf8');
    const headers =
      body === undefined ? undefined : { 'Content-Type': 'application/xml', 'Content-Length': String(body.length) };
    return callSdk(
      () =>
        this.o.cos.request({
          Method: call.method,
          Url: url,
          Key: call.path,
          Query: call.query,
          Body: body,
          Headers: headers,
        }),
      this.context(call),
      options.signal,
    );
  }

  /** Sends `call` and reads its body with `read`; an unreadable 2xx body becomes a `CiError`. */
  async request<R>(call: SetupCall, options: CiCallOptions, read: (data: unknown) => R): Promise<R> {
    const data = await this.send(call, options);
    try {
      return read(data);
    } catch (err) {
      throw toCiError(err, this.context(call));
    }
  }

  private context(call: SetupCall): ClassifyContext {
    return { action: call.action, target: call.target, secrets: this.o.secrets, credentials: this.o.credentials };
  }

  /** A `CiError` for something CI answered without (e.g. the bucket has no queue). */
  missing(action: CiSetupAction, target: string, detail: string): CiError {
    return new CiError({ action, target, code: 'NotFound', retryable: false, outcomeUnknown: false, detail });
  }
}
