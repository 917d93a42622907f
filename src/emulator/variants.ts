import { TencentCiAsrError } from '../shared/errors';

/**
 * How the emulator answers where no source settles CI's wire behaviour (docs/emulator.md, "Variants"; rows of
 * `ci-wire-facts.md` in brackets). Each field has a default (the likeliest answer, or the documented one where one
 * page documents it) and the other plausible values, so a client can be run against every one of them.
 */
export interface EmulatorVariants {
  /**
   * HTTP status of CI's signature codes `MissingAuthorization`, `InvalidAuthorization`, `SecretidNotExist`,
   * `SignatureExpired` on CI hosts [row 20]: 401 as the one page with a status says, or 403 as COS answers.
   */
  authStatus: 401 | 403;
  /** Spaces between a `Result` line's `[start,end]` and its text: Tencent's samples show both [row 27]. */
  resultSpacing: 1 | 2;
  /** `JobsDetail` of a JSON callback: an array (as XML's container) or one object (Java's sample) [row 24]. */
  jsonCallbackDetail: 'array' | 'object';
  /** Leaves of a JSON callback: strings (as in XML) or numbers where the value is numeric (Java's sample) [row 24]. */
  jsonCallbackLeaves: 'string' | 'number';
  /** HTTP status of `SlowDown` (code documented, status not) [row 18]. */
  throttleStatus: 503 | 429;
  /** `NextToken` on a list's last page: present and empty, or absent [row 15]. */
  lastPageToken: 'empty' | 'absent';
  /**
   * Code for ASR calls on a bucket without the ASR service [row 1]: `MediaBucketUnBinded` (CI's documented code for
   * the media services, by analogy) or `InvalidArgument`.
   */
  unboundBucketCode: 'MediaBucketUnBinded' | 'InvalidArgument';
  /** Code of a job whose input is no audio/video CI can decode (no source gives one) [row 19]. */
  undecodableMediaCode: 'InvalidMediaFormat' | 'ResourceDownloadFailed';
  /**
   * `queueId` on `GET /asr_jobs`: `required` as DescribeSpeechJobs documents it (1209/47597, further difference 13),
   * or `optional` as the Python SDK sends it. Strict by default.
   */
  listQueueId: 'required' | 'optional';
}

/** The defaults: documented answers where a source gives one, else the likeliest. */
export const DEFAULT_VARIANTS: Readonly<EmulatorVariants> = Object.freeze({
  authStatus: 401,
  resultSpacing: 1,
  jsonCallbackDetail: 'array',
  jsonCallbackLeaves: 'string',
  throttleStatus: 503,
  lastPageToken: 'empty',
  unboundBucketCode: 'MediaBucketUnBinded',
  undecodableMediaCode: 'InvalidMediaFormat',
  listQueueId: 'required',
});

/** Every value each variant may take, for the CLI flag, validation and test matrices. */
export const VARIANT_VALUES: { readonly [K in keyof EmulatorVariants]: readonly EmulatorVariants[K][] } = {
  authStatus: [401, 403],
  resultSpacing: [1, 2],
  jsonCallbackDetail: ['array', 'object'],
  jsonCallbackLeaves: ['string', 'number'],
  throttleStatus: [503, 429],
  lastPageToken: ['empty', 'absent'],
  unboundBucketCode: ['MediaBucketUnBinded', 'InvalidArgument'],
  undecodableMediaCode: ['InvalidMediaFormat', 'ResourceDownloadFailed'],
  listQueueId: ['required', 'optional'],
};

/**
 * Two sets that together give every variant each of its values (the defaults, and every non-default value at once):
 * a client run once per set has met every plausible answer listed here.
 */
export const VARIANT_SETS: Readonly<Record<'documented' | 'alternative', Readonly<EmulatorVariants>>> = {
  documented: DEFAULT_VARIANTS,
  alternative: Object.freeze(
    Object.fromEntries(
      Object.entries(VARIANT_VALUES).map(([name, values]) => [
        name,
        values.find((v) => v !== DEFAULT_VARIANTS[name as keyof EmulatorVariants]),
      ]),
    ) as unknown as EmulatorVariants,
  ),
};

/** A `--variant` value that names no variant or no value of it. */
export class VariantError extends TencentCiAsrError {
  override readonly name = 'VariantError';
}

/**
 * Parses `name=value` pairs (comma- or space-separated; e.g. `authStatus=403,resultSpacing=2`), or a set name
 * (`documented`, `alternative`), over the defaults.
 */
export function parseVariants(specs: readonly string[]): EmulatorVariants {
  const out: Record<string, unknown> = { ...DEFAULT_VARIANTS };
  for (const spec of specs.flatMap((s) => s.split(/[\s,]+/)).filter((s) => s !== '')) {
    if (spec in VARIANT_SETS) {
      Object.assign(out, VARIANT_SETS[spec as keyof typeof VARIANT_SETS]);
      continue;
    }
    const [name = '', value = ''] = spec.split('=');
    const allowed = (VARIANT_VALUES as Record<string, readonly unknown[]>)[name];
    if (allowed === undefined) {
      const names = [...Object.keys(VARIANT_VALUES), ...Object.keys(VARIANT_SETS)].join(', ');
      throw new VariantError(`Unknown variant "${name}"; known: ${names}.`);
    }
    const match = allowed.find((v) => String(v) === value);
    if (match === undefined) throw new VariantError(`Variant ${name} is one of ${allowed.join(', ')}; got "${value}".`);
    out[name] = match;
  }
  return out as unknown as EmulatorVariants;
}
