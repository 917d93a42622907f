import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type COS from 'cos-nodejs-sdk-v5';
import { CiError } from '../ci/errors';
import type { CiAction } from '../ci/errors';
import type { ClassifyContext } from '../ci/classify';
import { callSdk } from '../ci/sdk-call';
import type { CredentialHooks } from '../ci/signing';
import type { CosObjectRef } from './ref';
import { cosUri } from './ref';
import { validateListParams, validateObjectRef } from './validate';

/** Metadata from `HEAD` of an object. */
export interface CosObjectHead {
  contentLength: number;
  contentType?: string;
  etag?: string;
  lastModified?: Date;
}

/** One entry of a bucket listing. */
export interface CosObjectSummary {
  Key: string;
  Size: number;
  ETag?: string;
  LastModified?: Date;
}

/** Parameters of {@link CosObjectStore.list}. */
export interface CosListParams {
  Bucket: string;
  Region: string;
  /** Only keys starting with this. */
  Prefix?: string;
  /** Start after this key (the previous page's `nextMarker`). */
  Marker?: string;
  /** Page size, 1–1000 (COS's default 1000). */
  MaxKeys?: number;
}

/** One page of a bucket listing. */
export interface CosListPage {
  objects: CosObjectSummary[];
  /** Pass as `Marker` for the next page; undefined on the last page. */
  nextMarker?: string;
}

/** Options of every object call. */
export interface CosCallOptions {
  signal?: AbortSignal;
}

function header(headers: unknown, name: string): string | undefined {
  const value = (headers as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function date(value: string | undefined): Date | undefined {
  const d = value === undefined ? undefined : new Date(value);
  return d === undefined || Number.isNaN(d.getTime()) ? undefined : d;
}

/** The COS object operations this package needs, over the SDK's putObject/getObject/headObject/getBucket. */
export class CosObjectStore {
  constructor(
    private readonly cos: COS,
    private readonly secrets: readonly string[] = [],
    /** The credentials requests are signed with, so an expired token is retried with fresh ones. */
    private readonly credentials?: CredentialHooks,
  ) {}

  /** Writes (or overwrites) an object; repeating it is harmless. */
  async put(
    ref: CosObjectRef,
    body: Buffer | string,
    contentType: string,
    options: CosCallOptions = {},
  ): Promise<void> {
    validateObjectRef(ref, { body, contentType });
    const { Bucket, Region, Key } = ref;
    await callSdk(
      () => this.cos.putObject({ Bucket, Region, Key, Body: body, ContentType: contentType }),
      this.ctx('putObject', cosUri(ref)),
      options.signal,
    );
  }

  /**
   * Uploads a local file as one object, streamed from disk (one PUT, so up to COS's 5 GB single-upload limit), calling
   * `onProgress` with the bytes sent so far.
   */
  async putFile(
    ref: CosObjectRef,
    path: string,
    contentType: string,
    options: CosCallOptions & { onProgress?: (sent: number, total: number) => void } = {},
  ): Promise<void> {
    validateObjectRef(ref, { contentType });
    const { Bucket, Region, Key } = ref;
    const { size } = await stat(path);
    await callSdk(
      () =>
        this.cos.putObject({
          Bucket,
          Region,
          Key,
          Body: createReadStream(path),
          ContentLength: size,
          ContentType: contentType,
          onProgress: (p) => options.onProgress?.(p.loaded, p.total || size),
        }),
      this.ctx('putObject', cosUri(ref)),
      options.signal,
    );
  }

  /** Reads a whole object; a missing object throws a `CiError` with code `NoSuchKey` (HTTP 404). */
  async get(ref: CosObjectRef, options: CosCallOptions = {}): Promise<Buffer> {
    validateObjectRef(ref);
    const { Bucket, Region, Key } = ref;
    const data = await callSdk(
      () => this.cos.getObject({ Bucket, Region, Key }),
      this.ctx('getObject', cosUri(ref)),
      options.signal,
    );
    return Buffer.isBuffer(data.Body) ? data.Body : Buffer.from(String(data.Body ?? ''));
  }

  /** Object metadata, or undefined when the object does not exist. */
  async head(ref: CosObjectRef, options: CosCallOptions = {}): Promise<CosObjectHead | undefined> {
    validateObjectRef(ref);
    const { Bucket, Region, Key } = ref;
    try {
      const data = await callSdk(
        () => this.cos.headObject({ Bucket, Region, Key }),
        this.ctx('headObject', cosUri(ref)),
        options.signal,
      );
      return {
        contentLength: Number(header(data.headers, 'content-length') ?? 0),
        contentType: header(data.headers, 'content-type'),
        etag: header(data.headers, 'etag'),
        lastModified: date(header(data.headers, 'last-modified')),
      };
    } catch (err) {
      if (err instanceof CiError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** One page of keys under `Prefix`, in key order. */
  async list(params: CosListParams, options: CosCallOptions = {}): Promise<CosListPage> {
    validateListParams(params);
    const { Bucket, Region, Prefix, Marker, MaxKeys } = params;
    const data = await callSdk(
      () => this.cos.getBucket({ Bucket, Region, Prefix, Marker, MaxKeys }),
      this.ctx('listObjects', cosUri({ Bucket, Key: Prefix ?? '' })),
      options.signal,
    );
    const objects = (data.Contents ?? []).map((c) => ({
      Key: c.Key,
      Size: Number(c.Size),
      ETag: c.ETag || undefined,
      LastModified: date(c.LastModified),
    }));
    const truncated = String(data.IsTruncated) === 'true';
    // COS omits NextMarker unless a delimiter is used; the last key is then the marker.
    const nextMarker = truncated ? data.NextMarker || objects.at(-1)?.Key : undefined;
    return nextMarker === undefined ? { objects } : { objects, nextMarker };
  }

  /** Every object under `Prefix`, across pages. */
  async *listAll(params: CosListParams, options: CosCallOptions = {}): AsyncGenerator<CosObjectSummary> {
    let marker = params.Marker;
    for (;;) {
      const page = await this.list({ ...params, Marker: marker }, options);
      yield* page.objects;
      if (page.nextMarker === undefined || page.nextMarker === marker) return;
      marker = page.nextMarker;
    }
  }

  private ctx(action: CiAction, target: string): ClassifyContext {
    return { action, target, secrets: this.secrets, credentials: this.credentials };
  }
}
