import type COS from 'cos-nodejs-sdk-v5';
import type { CiCallOptions } from '../types';
import * as hotVocab from './hot-vocab';
import { parseBucketPage, parseOpenBucket, parseQueue, parseQueuePage } from './parse';
import * as templates from './templates';
import { SetupTransport } from './transport';
import type * as T from './types';
import {
  checkPaging,
  joined,
  validate,
  validateId,
  validateIds,
  validateQueueUpdate,
  withoutUndefined,
} from './validate';
import { queueUpdateXml } from './xml-body';
import type { CredentialHooks } from '../signing';

/** How a {@link CiSetupClient} reaches CI. */
export interface CiSetupClientOptions {
  cos: COS;
  /** Bucket `name-appid`. */
  bucket: string;
  region: string;
  /** The bucket's CI host, e.g. `https://demo-1250000000.ci.ap-guangzhou.myqcloud.com`. */
  baseUrl: string;
  /** The region's CI host for bucket-less calls, e.g. `https://ci.ap-guangzhou.myqcloud.com`. */
  regionUrl: string;
  /** Strings to blank out of error messages (credentials). */
  secrets?: readonly string[];
  /** The credentials requests are signed with, so an expired token is retried with fresh ones. */
  credentials?: CredentialHooks;
}

/**
 * Typed CI setup and management calls for one bucket: ASR binding, queues, `SpeechRecognition` templates and
 * hot-word tables. Input is validated first (`CiValidationError`); failed requests throw `CiError`, as job calls do.
 */
export class CiSetupClient {
  readonly bucket: string;
  readonly region: string;
  private readonly t: SetupTransport;
  private queueLookup: Promise<string> | undefined;

  constructor(options: CiSetupClientOptions) {
    this.bucket = options.bucket;
    this.region = options.region;
    this.t = new SetupTransport({
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      regionUrl: options.regionUrl.replace(/\/+$/, ''),
      secrets: options.secrets ?? [],
    });
  }

  /** Binds the bucket to speech recognition (`POST /asrbucket`); returns the binding when CI echoes it. */
  async openBucket(options: CiCallOptions = {}): Promise<T.AsrBucket | undefined> {
    const call = { action: 'openBucket', method: 'POST', path: 'asrbucket', target: this.t.where() } as const;
    return this.t.request(call, options, parseOpenBucket);
  }

  /** Unbinds the bucket (`DELETE /asrbucket`); CI refuses its jobs afterwards. */
  async closeBucket(options: CiCallOptions = {}): Promise<void> {
    await this.t.send({ action: 'closeBucket', method: 'DELETE', path: 'asrbucket', target: this.t.where() }, options);
  }

  /** Lists bound buckets (`GET /asrbucket` on the region host `ci.<region>.myqcloud.com`). */
  async describeBuckets(
    filter: T.DescribeAsrBucketsFilter = {},
    options: CiCallOptions = {},
  ): Promise<T.AsrBucketPage> {
    validate('ASR bucket filter', (out) => {
      checkPaging(out, filter);
      out.optionalString(filter.bucketName, 'bucketName');
    });
    const query = withoutUndefined({
      regions: joined(filter.regions),
      bucketName: filter.bucketName,
      bucketNames: joined(filter.bucketNames),
      pageNumber: filter.pageNumber,
      pageSize: filter.pageSize,
    });
    const target = `ci.${this.region}`;
    const call = {
      action: 'describeBuckets',
      method: 'GET',
      path: 'asrbucket',
      target,
      query,
      regional: true,
    } as const;
    return this.t.request(call, options, parseBucketPage);
  }

  /** Whether this client's bucket is bound (one `describeBuckets` call naming it exactly). */
  async isBucketBound(options: CiCallOptions = {}): Promise<boolean> {
    const page = await this.describeBuckets({ bucketNames: [this.bucket], regions: [this.region] }, options);
    return page.buckets.some((b) => b.bucketId === this.bucket);
  }

  /** Describes the bucket's ASR queues (`GET /asrqueue`). */
  async describeQueues(filter: T.DescribeAsrQueuesFilter = {}, options: CiCallOptions = {}): Promise<T.AsrQueuePage> {
    validate('ASR queue filter', (out) => {
      checkPaging(out, filter);
      validateIds(filter.queueIds, 'queueIds', out);
      out.oneOf(filter.state, ['All', 'Active', 'Paused'], 'state');
    });
    const query = withoutUndefined({
      queueIds: joined(filter.queueIds),
      state: filter.state,
      pageNumber: filter.pageNumber,
      pageSize: filter.pageSize,
    });
    const call = { action: 'describeQueues', method: 'GET', path: 'asrqueue', target: this.t.where(), query } as const;
    return this.t.request(call, options, parseQueuePage);
  }

  /**
   * Updates a queue (`PUT /asrqueue/<id>`). CI wants `Name` and `State` every time, so fields left out are read from
   * the queue first. Pausing holds new jobs in `Pause`; running ones finish. `notifyConfig` left out stays as is.
   */
  async updateQueue(queueId: string, req: T.UpdateAsrQueueRequest, options: CiCallOptions = {}): Promise<T.AsrQueue> {
    validateQueueUpdate(queueId, req);
    const target = `${queueId} in ${this.t.where()}`;
    let current: T.AsrQueue | undefined;
    // CI requires Name, State and NotifyConfig on every update (ci-wire-facts row 9): read what is not given.
    if (req.name === undefined || req.state === undefined || req.notifyConfig === undefined) {
      current = (await this.describeQueues({ queueIds: [queueId] }, options)).queues.find((q) => q.queueId === queueId);
      if (current === undefined) throw this.t.missing('updateQueue', target, `queue ${queueId} does not exist`);
    }
    const body = queueUpdateXml(queueId, {
      name: req.name ?? current?.name ?? '',
      state: req.state ?? current?.state ?? 'Active',
      notify: req.notifyConfig ?? current?.notifyConfig ?? { State: 'Off' },
    });
    const call = { action: 'updateQueue', method: 'PUT', path: `asrqueue/${queueId}`, target, body } as const;
    return this.t.request(call, options, parseQueue);
  }

  /** The bucket's ASR queue id, looked up once (`GET /asrqueue`) and cached; a failed lookup is tried again later. */
  defaultQueueId(options: CiCallOptions = {}): Promise<string> {
    const lookup = (this.queueLookup ??= this.describeQueues({}, options).then((page) => {
      const queue = page.queues[0];
      if (queue === undefined) throw this.t.missing('describeQueues', this.t.where(), 'the bucket has no ASR queue');
      return queue.queueId;
    }));
    lookup.catch(() => {
      if (this.queueLookup === lookup) this.queueLookup = undefined;
    });
    return lookup;
  }

  /** Creates a `SpeechRecognition` template (`POST /template`). */
  createTemplate(req: T.AsrTemplateRequest, options: CiCallOptions = {}): Promise<T.AsrTemplate> {
    return templates.createTemplate(this.t, req, options);
  }

  /** Lists `SpeechRecognition` templates (`GET /template`). */
  listTemplates(filter: T.ListAsrTemplatesFilter = {}, options: CiCallOptions = {}): Promise<T.AsrTemplatePage> {
    return templates.listTemplates(this.t, filter, options);
  }

  /** One template by id (a `listTemplates` call with `ids`), or `undefined` when CI does not list it. */
  async getTemplate(templateId: string, options: CiCallOptions = {}): Promise<T.AsrTemplate | undefined> {
    validateId(templateId, 'templateId');
    const page = await templates.listTemplates(this.t, { ids: [templateId] }, options);
    return page.templates.find((t) => t.templateId === templateId);
  }

  /** Replaces a template's name and parameters (`PUT /template/<id>`). */
  updateTemplate(templateId: string, req: T.AsrTemplateRequest, options: CiCallOptions = {}): Promise<T.AsrTemplate> {
    return templates.updateTemplate(this.t, templateId, req, options);
  }

  /** Deletes a template (`DELETE /template/<id>`); jobs naming it are refused afterwards. */
  deleteTemplate(templateId: string, options: CiCallOptions = {}): Promise<void> {
    return templates.deleteTemplate(this.t, templateId, options);
  }

  /** Creates a hot-word table; returns the id jobs and templates use as `HotVocabularyTableId`. */
  createHotVocabTable(req: T.HotVocabTableRequest, options: CiCallOptions = {}): Promise<string> {
    return hotVocab.createHotVocabTable(this.t, req, options);
  }

  /** One hot-word table. */
  getHotVocabTable(tableId: string, options: CiCallOptions = {}): Promise<T.HotVocabTable> {
    return hotVocab.getHotVocabTable(this.t, tableId, options);
  }

  /** Lists hot-word tables (`offset`/`limit`). */
  listHotVocabTables(
    filter: T.ListHotVocabTablesFilter = {},
    options: CiCallOptions = {},
  ): Promise<T.HotVocabTablePage> {
    return hotVocab.listHotVocabTables(this.t, filter, options);
  }

  /** Replaces a table's name, description and words. */
  updateHotVocabTable(tableId: string, req: T.HotVocabTableRequest, options: CiCallOptions = {}): Promise<void> {
    return hotVocab.updateHotVocabTable(this.t, tableId, req, options);
  }

  /** Deletes a hot-word table. */
  deleteHotVocabTable(tableId: string, options: CiCallOptions = {}): Promise<void> {
    return hotVocab.deleteHotVocabTable(this.t, tableId, options);
  }
}
