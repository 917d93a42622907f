import { randomBytes } from 'node:crypto';
import { defaultQueueId } from '../job-engine';
import type { EmulatedJob, JobCallback } from '../job-model';
import type { EmulatorTemplate } from '../submit-request';

/** A bucket bound to speech recognition (`POST /asrbucket`). Times are epoch ms. */
export interface BoundBucket {
  bucketId: string;
  region: string;
  createMs: number;
}

/** A queue's `NotifyConfig`, values as CI echoes them. */
export interface QueueNotify {
  url: string;
  state: 'On' | 'Off';
  /** `''` when the config is `Off` and named none. */
  type: 'Url' | 'TDMQ' | '';
  event: string;
  resultFormat: 'XML' | 'JSON';
  mq?: Record<string, string>;
}

/** An ASR queue of one bucket (`GET /asrqueue`). */
export interface EmulatedQueue {
  queueId: string;
  bucket: string;
  name: string;
  state: 'Active' | 'Paused';
  maxSize: number;
  maxConcurrent: number;
  createMs: number;
  updateMs: number;
  notify?: QueueNotify;
}

/** Bookkeeping of a template beyond what job submission needs. */
export interface TemplateMeta {
  /** Bucket the template was created in; `undefined` for templates seeded through the options (every bucket). */
  bucket?: string;
  createMs: number;
  updateMs: number;
}

/** A hot-word table (`/asrhotvocabtable`). */
export interface HotVocabTable {
  tableId: string;
  bucket: string;
  name: string;
  description: string;
  weights: Array<{ vocabulary: string; weight: number }>;
  createMs: number;
  updateMs: number;
}

/** How the emulator starts: which buckets are bound and how big queues are. */
export interface SetupOptions {
  /** Bound at start; `undefined` = every bucket counts as bound until `DELETE /asrbucket` closes it. */
  boundBuckets?: readonly string[];
  /** Region of buckets listed in `boundBuckets` until a request shows theirs (the emulator's default region). */
  defaultRegion: string;
  maxConcurrent: number;
  templates: Record<string, EmulatorTemplate>;
  clock: () => number;
  onChange: () => void;
  /** Code of the refusal on an unbound bucket (the `unboundBucketCode` variant). */
  unboundCode: string;
}

/** CI's documented queue size (DOC-EX: `MaxSize` 10000). */
const QUEUE_MAX_SIZE = 10_000;

/** Bucket binding, queues, templates and hot-word tables of one emulator. */
export class SetupState {
  private readonly bound = new Map<string, BoundBucket>();
  /** Buckets closed through the API (only consulted when every bucket starts bound). */
  private readonly closed = new Set<string>();
  private readonly queues = new Map<string, EmulatedQueue>();
  /** Live record handed to the submit parser: templates usable by `TemplateId`. */
  readonly templates: Record<string, EmulatorTemplate>;
  readonly templateMeta = new Map<string, TemplateMeta>();
  readonly vocab = new Map<string, HotVocabTable>();
  private readonly bindAll: boolean;
  /** Code of the refusal on an unbound bucket. */
  readonly unboundCode: string;

  constructor(private readonly options: SetupOptions) {
    this.bindAll = options.boundBuckets === undefined;
    this.unboundCode = options.unboundCode;
    this.templates = options.templates;
    const now = options.clock();
    for (const id of Object.keys(options.templates)) this.templateMeta.set(id, { createMs: now, updateMs: now });
    for (const bucket of options.boundBuckets ?? [])
      this.bound.set(bucket, { bucketId: bucket, region: options.defaultRegion, createMs: now });
  }

  /** Whether jobs may run on `bucket`. */
  isBound(bucket: string): boolean {
    return this.bindAll ? !this.closed.has(bucket) : this.bound.has(bucket);
  }

  /** Binds a bucket (idempotent) and creates its queue. */
  open(bucket: string, region: string): BoundBucket {
    this.closed.delete(bucket);
    const entry = this.bound.get(bucket) ?? { bucketId: bucket, region, createMs: this.options.clock() };
    entry.region ||= region;
    this.bound.set(bucket, entry);
    this.queueOf(bucket);
    this.options.onChange();
    return entry;
  }

  /** Unbinds a bucket and deletes its queues, as CI does (jobs stay readable; new ones are refused). */
  close(bucket: string): void {
    this.bound.delete(bucket);
    this.closed.add(bucket);
    for (const [id, queue] of this.queues) if (queue.bucket === bucket) this.queues.delete(id);
    this.options.onChange();
  }

  /** Bound buckets in `region` (every known bucket when all start bound: the ones with a region seen). */
  boundIn(regions: readonly string[] | undefined): BoundBucket[] {
    const known = [...this.bound.values()];
    return known.filter((b) => this.isBound(b.bucketId) && (regions === undefined || regions.includes(b.region)));
  }

  /** Records a bucket seen on a request, so region queries list it when every bucket starts bound. */
  seen(bucket: string, region: string): void {
    if (!this.bindAll || this.closed.has(bucket) || this.bound.has(bucket)) {
      const entry = this.bound.get(bucket);
      if (entry) entry.region = region;
      return;
    }
    this.bound.set(bucket, { bucketId: bucket, region, createMs: this.options.clock() });
  }

  /** The bucket's ASR queue, created on first use (CI creates one queue per bound bucket). */
  queueOf(bucket: string): EmulatedQueue {
    const queueId = defaultQueueId(bucket);
    return this.queues.get(queueId) ?? this.createQueue(bucket, queueId, 'asr-default');
  }

  /** Adds a queue to `bucket` (CI accounts can have several; the console creates them), `p` + 32 hex when no id given. */
  addQueue(bucket: string, queueId = SetupState.newId('p'), name = 'asr-extra'): EmulatedQueue {
    const existing = this.queue(bucket, queueId);
    if (existing) return existing;
    const queue = this.createQueue(bucket, queueId, name);
    this.options.onChange();
    return queue;
  }

  private createQueue(bucket: string, queueId: string, name: string): EmulatedQueue {
    const now = this.options.clock();
    const queue: EmulatedQueue = {
      queueId,
      bucket,
      name,
      state: 'Active',
      maxSize: QUEUE_MAX_SIZE,
      maxConcurrent: this.options.maxConcurrent,
      createMs: now,
      updateMs: now,
    };
    this.queues.set(queueId, queue);
    return queue;
  }

  /** A queue by id when it belongs to `bucket`. */
  queue(bucket: string, queueId: string): EmulatedQueue | undefined {
    if (queueId === defaultQueueId(bucket)) return this.queueOf(bucket);
    const queue = this.queues.get(queueId);
    return queue?.bucket === bucket ? queue : undefined;
  }

  /** Ids of queues paused through the API. */
  pausedQueueIds(): string[] {
    return [...this.queues.values()].filter((q) => q.state === 'Paused').map((q) => q.queueId);
  }

  /** The callback a finished job gets: its own, else its queue's `NotifyConfig` when On, Url and TaskFinish. */
  effectiveCallback(callback: JobCallback, queueId: string): JobCallback {
    if (callback.url !== undefined || callback.type !== 'Url') return callback;
    const notify = this.queues.get(queueId)?.notify;
    if (!notify || notify.state !== 'On' || notify.type !== 'Url' || !notify.url) return callback;
    if (!notify.event.split(',').includes('TaskFinish')) return callback;
    return { url: notify.url, format: notify.resultFormat, type: 'Url' };
  }

  /** The job as its callback sees it: with the queue's `NotifyConfig` URL when it has no `CallBack` of its own. */
  withCallback(job: EmulatedJob): EmulatedJob {
    const callback = this.effectiveCallback(job.spec.callback, job.queueId);
    return callback === job.spec.callback ? job : { ...job, spec: { ...job.spec, callback } };
  }

  /** A new template id in CI's shape (`t1` + 32 hex) or table id (32 hex). */
  static newId(prefix: string): string {
    return `${prefix}${randomBytes(16).toString('hex')}`;
  }
}
