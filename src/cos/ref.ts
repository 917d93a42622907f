/** Where an object lives in COS, in the SDK's own parameter names. */
export interface CosObjectRef {
  /** Bucket `name-appid`, e.g. `demo-1250000000`. */
  Bucket: string;
  /** Region, e.g. `ap-guangzhou`. */
  Region: string;
  /** Object key, without a leading `/`. */
  Key: string;
}

/** `cos://<bucket>/<key>` for logs and results (the region is not part of it). */
export function cosUri(ref: Pick<CosObjectRef, 'Bucket' | 'Key'>): string {
  return `cos://${ref.Bucket}/${ref.Key}`;
}

/** Reads `cos://<bucket>/<key>` back into a ref in `region`; undefined when `uri` is not of that form. */
export function parseCosUri(uri: string, region: string): CosObjectRef | undefined {
  const m = /^cos:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) return undefined;
  return { Bucket: m[1]!, Region: region, Key: m[2]! };
}
