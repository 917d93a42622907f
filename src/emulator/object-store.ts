import { createHash } from 'node:crypto';

/** One stored COS object. */
export interface StoredObject {
  body: Buffer;
  /** Quoted MD5 hex, as COS returns it for simple uploads. */
  etag: string;
  contentType: string;
  lastModifiedMs: number;
  /** `x-cos-meta-*` headers, lower-case names. */
  meta: Record<string, string>;
}

/** A page of a bucket listing (`GET /` on a COS host). */
export interface ObjectListing {
  keys: Array<{ key: string; object: StoredObject }>;
  isTruncated: boolean;
  nextMarker?: string;
}

/** Objects by bucket then key; buckets exist as soon as they are named. */
export class ObjectStore {
  private readonly buckets = new Map<string, Map<string, StoredObject>>();

  /** Called after every change (persistence hooks in here). */
  onChange: () => void = () => {};

  private bucket(name: string): Map<string, StoredObject> {
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = new Map();
      this.buckets.set(name, bucket);
    }
    return bucket;
  }

  /** Stores an object, replacing any previous one; returns what was stored. */
  put(
    bucket: string,
    key: string,
    body: Buffer,
    options: { contentType?: string; meta?: Record<string, string>; nowMs?: number } = {},
  ): StoredObject {
    const object: StoredObject = {
      body,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      contentType: options.contentType ?? 'application/octet-stream',
      lastModifiedMs: options.nowMs ?? Date.now(),
      meta: options.meta ?? {},
    };
    this.bucket(bucket).set(key, object);
    this.onChange();
    return object;
  }

  /** The object, or `undefined`. */
  get(bucket: string, key: string): StoredObject | undefined {
    return this.buckets.get(bucket)?.get(key);
  }

  /** Deletes an object; `true` when it existed. */
  delete(bucket: string, key: string): boolean {
    const deleted = this.buckets.get(bucket)?.delete(key) ?? false;
    if (deleted) this.onChange();
    return deleted;
  }

  /** Keys after `marker` starting with `prefix`, in UTF-8 binary order as COS lists them. */
  list(bucket: string, prefix: string, marker: string, maxKeys: number): ObjectListing {
    const keys = [...(this.buckets.get(bucket)?.keys() ?? [])]
      .filter((k) => k.startsWith(prefix) && k > marker)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const page = keys.slice(0, maxKeys);
    const isTruncated = keys.length > page.length;
    return {
      keys: page.map((key) => ({ key, object: this.bucket(bucket).get(key)! })),
      isTruncated,
      nextMarker: isTruncated ? page[page.length - 1] : undefined,
    };
  }

  /** Every object, for persistence. */
  entries(): Array<{ bucket: string; key: string; object: StoredObject }> {
    return [...this.buckets].flatMap(([bucket, objects]) =>
      [...objects].map(([key, object]) => ({ bucket, key, object })),
    );
  }

  /** Restores a persisted object without triggering `onChange`. */
  restore(bucket: string, key: string, object: StoredObject): void {
    this.bucket(bucket).set(key, object);
  }
}
