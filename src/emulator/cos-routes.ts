import type { IncomingHttpHeaders } from 'node:http';
import { httpDate } from './ci-time';
import { ApiError, invalidArgument } from './errors';
import type { ApiResponse } from './http-util';
import type { ObjectStore, StoredObject } from './object-store';
import type { RequestTarget } from './request-target';
import type { XmlObject } from './xml';
import { buildXml } from './xml';

function objectHeaders(object: StoredObject): Record<string, string> {
  return {
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': httpDate(object.lastModifiedMs),
    ...object.meta,
  };
}

function metaHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers)
      .filter(([name, value]) => name.startsWith('x-cos-meta-') && typeof value === 'string')
      .map(([name, value]) => [name, value as string]),
  );
}

function noSuchKey(key: string): ApiError {
  return new ApiError(404, 'NoSuchKey', `The specified key does not exist: ${key}`);
}

function listBucket(objects: ObjectStore, target: RequestTarget): ApiResponse {
  const query = new Map(target.query);
  const prefix = query.get('prefix') ?? '';
  const marker = query.get('marker') ?? '';
  const rawMax = query.get('max-keys') || '1000';
  if (!/^\d+$/.test(rawMax) || Number(rawMax) > 1000) throw invalidArgument('max-keys must be 0-1000.');
  const listing = objects.list(target.bucket, prefix, marker, Number(rawMax));
  const result: XmlObject = {
    Name: target.bucket,
    Prefix: prefix,
    Marker: marker,
    MaxKeys: rawMax,
    IsTruncated: String(listing.isTruncated),
  };
  if (listing.nextMarker !== undefined) result.NextMarker = listing.nextMarker;
  result.Contents = listing.keys.map(({ key, object }) => ({
    Key: key,
    LastModified: new Date(object.lastModifiedMs).toISOString(),
    ETag: object.etag,
    Size: String(object.body.length),
    StorageClass: 'STANDARD',
  }));
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: buildXml({ ListBucketResult: result }) };
}

/** Handles the COS subset: PUT/GET/HEAD/DELETE object and GET bucket (listing). */
export function handleCos(
  objects: ObjectStore,
  method: string,
  target: RequestTarget,
  headers: IncomingHttpHeaders,
  body: Buffer,
): ApiResponse {
  if (target.pathname === '/') {
    if (method === 'GET') return listBucket(objects, target);
    throw new ApiError(405, 'MethodNotAllowed', `${method} on a bucket is not supported by the emulator.`);
  }
  const key = target.pathname.slice(1);
  switch (method) {
    case 'PUT': {
      const contentType = headers['content-type'] ?? 'application/octet-stream';
      const stored = objects.put(target.bucket, key, body, { contentType, meta: metaHeaders(headers) });
      return { status: 200, headers: { etag: stored.etag } };
    }
    case 'GET':
    case 'HEAD': {
      const object = objects.get(target.bucket, key);
      if (!object) throw noSuchKey(key);
      return { status: 200, headers: objectHeaders(object), body: object.body };
    }
    case 'DELETE':
      objects.delete(target.bucket, key);
      return { status: 204 };
    default:
      throw new ApiError(405, 'MethodNotAllowed', `${method} on an object is not supported by the emulator.`);
  }
}
