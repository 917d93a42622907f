import type COS from 'cos-nodejs-sdk-v5';
import { toCiError } from './classify';
import type { ClassifyContext } from './classify';
import { CiError } from './errors';
import type { CiAction } from './errors';
import type { ListAsrJobsFilter } from './list-filter';
import { toListQuery } from './list-filter';
import { parseGetResponse, parseListResponse, parseSubmitResponse } from './normalize';
import { callSdk } from './sdk-call';
import { SubmitBody } from './submit-body';
import type { CredentialHooks } from './signing';
import type {
  AsrJob,
  AsrJobPage,
  CancelAsrJobResult,
  CiCallOptions,
  GetAsrJobsResult,
  SubmitAsrJobRequest,
  SubmitCallOptions,
} from './types';
import { validateJobIds, validateListFilter, validateSubmitRequest } from './validate';
import { submitRequestXml } from './xml-request';

/** How a {@link CiAsrClient} reaches CI. Build it with `createTencentClients` unless you need your own SDK instance. */
export interface CiAsrClientOptions {
  /** SDK instance; its `Timeout` is the per-request timeout. */
  cos: COS;
  /** Bucket `name-appid` whose CI host serves the jobs; input objects are keys in this bucket. */
  bucket: string;
  region: string;
  /** `https://<bucket>.ci.<region>.myqcloud.com` (or `http://` when an endpoint proxy is used). */
  baseUrl: string;
  /** Strings to blank out of error messages (credentials). */
  secrets?: readonly string[];
  /** The credentials requests are signed with, so an expired token is retried with fresh ones. */
  credentials?: CredentialHooks;
  /**
   * Queue for submits without `QueueId` and lists without `queueId` (e.g. `CiSetupClient.defaultQueueId`, looked up
   * once per bucket); unset = none sent.
   */
  defaultQueueId?: (options: CiCallOptions) => Promise<string>;
}

/** What {@link CiAsrClient} hands `cos.request()`, besides the URL built from `Key`. */
type CallParams = Omit<COS.RequestParams, 'Url'> & { Key: string };

/** Page size {@link CiAsrClient.listAll} uses when the filter sets none: CI's maximum, to make fewer requests. */
const LIST_ALL_PAGE_SIZE = 100;

/** 4xx codes that mean "the request itself was refused" rather than "this job cannot be cancelled". */
const AUTH_CODES = new Set([
  'AccessDenied',
  'MissingAuthorization',
  'InvalidAuthorization',
  'SignatureExpired',
  'SecretidNotExist',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'RequestTimeTooSkewed',
  'ExpiredToken',
  'InvalidToken',
]);

/** Typed CI speech-recognition job API over `cos.request()`: submit, get, list and cancel. */
export class CiAsrClient {
  readonly bucket: string;
  readonly region: string;
  private readonly cos: COS;
  /** Where requests go, e.g. `https://demo-1250000000.ci.ap-guangzhou.myqcloud.com`. */
  readonly baseUrl: string;
  private readonly secrets: readonly string[];
  private readonly credentials: CredentialHooks | undefined;
  private readonly defaultQueueId: CiAsrClientOptions['defaultQueueId'];

  constructor(options: CiAsrClientOptions) {
    this.cos = options.cos;
    this.bucket = options.bucket;
    this.region = options.region;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.secrets = options.secrets ?? [];
    this.credentials = options.credentials;
    this.defaultQueueId = options.defaultQueueId;
  }

  /**
   * Submits one job (`POST /asr_jobs`) and returns it as CI created it. Validates first (throws `CiValidationError`).
   * Never re-sent by the SDK: the body goes out as a stream, which it does not retry, because every copy is a billed
   * job. The one repeat is the client's own when CI refused stale temporary keys, which creates nothing.
   * On a `CiError` with `outcomeUnknown`, look for the job (e.g. by `UserData`) before submitting again.
   */
  async submit(request: SubmitAsrJobRequest, options: SubmitCallOptions = {}): Promise<AsrJob> {
    validateSubmitRequest(request);
    const req =
      request.QueueId === undefined && this.defaultQueueId
        ? { ...request, QueueId: await this.defaultQueueId(options) }
        : request;
    const bytes = Buffer.from(submitRequestXml(req), 'utf8');
    // cos-nodejs-sdk-v5 3.0.0 re-sends a failed request up to 3 times unless the body is a stream
    // (base.js submitRequest: `!(params.body && params.body.pipe)`); it has no option to turn retries off.
    // A fresh body per call: the call is made again once when CI refused stale keys (nothing was created then).
    let body: SubmitBody | undefined;
    const headers = { 'Content-Type': 'application/xml', 'Content-Length': String(bytes.length) };
    const data = await this.call(
      'submit',
      this.where(),
      () => {
        body = new SubmitBody(bytes, options.onSend);
        return { Method: 'POST', Key: 'asr_jobs', Body: body, Headers: headers };
      },
      options.signal,
      // Aborts the HTTP request itself (its socket), also when its body was fully written (see SubmitBody).
      (reason) => body?.abandon(reason),
    );
    return this.parse('submit', this.where(), () => parseSubmitResponse(data));
  }

  /** Fetches one or several jobs in one request (`GET /asr_jobs/<id>,<id>`). Safe to retry; the SDK does. */
  async get(ids: readonly string[], options: CiCallOptions = {}): Promise<GetAsrJobsResult> {
    validateJobIds(ids);
    const path = `asr_jobs/${ids.join(',')}`;
    const target = `${ids.join(',')} in ${this.where()}`;
    const data = await this.call('get', target, { Method: 'GET', Key: path }, options.signal);
    return this.parse('get', target, () => parseGetResponse(data));
  }

  /** Lists one page of jobs (`GET /asr_jobs?...`) with every documented filter. */
  async list(filter: ListAsrJobsFilter = {}, options: CiCallOptions = {}): Promise<AsrJobPage> {
    validateListFilter(filter);
    // DescribeSpeechJobs documents `queueId` as required (docs/emulator.md): the bucket's queue when none is given.
    const queueId = filter.queueId ?? (await this.defaultQueueId?.(options));
    const query = toListQuery(queueId === undefined ? filter : { ...filter, queueId });
    const data = await this.call(
      'list',
      this.where(),
      { Method: 'GET', Key: 'asr_jobs', Query: query },
      options.signal,
    );
    return this.parse('list', this.where(), () => parseListResponse(data));
  }

  /**
   * Walks every page of `filter` (100 jobs per request unless `size` is set). Stops when CI sends no `NextToken`, an
   * empty page, or the same token twice (CI's last-page token is undocumented).
   */
  async *listPages(filter: ListAsrJobsFilter = {}, options: CiCallOptions = {}): AsyncGenerator<AsrJobPage> {
    let next: ListAsrJobsFilter = { ...filter, size: filter.size ?? LIST_ALL_PAGE_SIZE };
    validateListFilter(next);
    for (;;) {
      const page = await this.list(next, options);
      yield page;
      if (page.jobs.length === 0 || page.nextToken === undefined || page.nextToken === next.nextToken) return;
      next = { ...next, nextToken: page.nextToken };
    }
  }

  /** Every job matching `filter`, across pages (see {@link listPages}). */
  async *listAll(filter: ListAsrJobsFilter = {}, options: CiCallOptions = {}): AsyncGenerator<AsrJob> {
    for await (const page of this.listPages(filter, options)) yield* page.jobs;
  }

  /**
   * Cancels a job that has not started (`PUT /jobs/<id>?cancel`). When CI refuses with a 4xx, one `get` tells why:
   * the job is unknown, already cancelled, or already running/finished. Auth errors, 5xx and network errors throw.
   */
  async cancel(jobId: string, options: CiCallOptions = {}): Promise<CancelAsrJobResult> {
    validateJobIds([jobId]);
    const path = `jobs/${jobId}`;
    try {
      const target = `${jobId} in ${this.where()}`;
      await this.call('cancel', target, { Method: 'PUT', Key: path, Action: 'cancel' }, options.signal);
      return { outcome: 'cancelled', jobId };
    } catch (err) {
      if (!isRefusal(err)) throw err;
      const { jobs } = await this.get([jobId], options);
      const job = jobs.find((j) => j.JobId === jobId);
      if (job === undefined) return { outcome: 'not-found', jobId };
      if (job.State === 'Cancel') return { outcome: 'cancelled', jobId };
      return { outcome: 'not-cancellable', jobId, state: job.State, code: err.code };
    }
  }

  /** One `cos.request()` to `<baseUrl>/<Key>` (the SDK signs `Key` as the path), cancellable and classified. */
  private call(
    action: CiAction,
    target: string,
    params: CallParams | (() => CallParams),
    signal: AbortSignal | undefined,
    onAbort?: (reason: unknown) => void,
  ): Promise<COS.RequestResult> {
    const run = () => {
      const p = typeof params === 'function' ? params() : params;
      return this.cos.request({ ...p, Url: `${this.baseUrl}/${p.Key}` });
    };
    return callSdk(run, this.context(action, target), signal, onAbort);
  }

  private where(): string {
    return `${this.bucket} (${this.region})`;
  }

  private context(action: CiAction, target: string): ClassifyContext {
    return { action, target, secrets: this.secrets, credentials: this.credentials };
  }

  /** Reads a 2xx body; a body without the documented shape becomes a `CiError` (`MalformedResponse`). */
  private parse<T>(action: CiAction, target: string, read: () => T): T {
    try {
      return read();
    } catch (err) {
      throw toCiError(err, this.context(action, target));
    }
  }
}

function isRefusal(err: unknown): err is CiError {
  if (!(err instanceof CiError) || err.statusCode === undefined) return false;
  return err.statusCode >= 400 && err.statusCode < 500 && err.statusCode !== 429 && !AUTH_CODES.has(err.code);
}
