import type { BatchItemOutcome, TranscribeBatchResult } from '../workflows/transcribe-batch/types';
import type { CliContext } from './context';
import { tencentClientsFor } from './preflight';

/** Failed items of a finished batch, read from its manifest; or why they could not be read. */
export interface FailedItems {
  items?: BatchItemOutcome[];
  /** Set when the manifest could not be read (no Tencent settings, or the read failed). */
  unavailable?: string;
}

/** Milliseconds the manifest read may take. */
const MANIFEST_TIMEOUT_MS = 15_000;

/**
 * The failed items of a finished batch, from its manifest in COS (per-item outcomes are kept there, not in workflow
 * history). Needs the Tencent settings; without them, says so instead.
 */
export async function readFailedItems(ctx: CliContext, result: TranscribeBatchResult): Promise<FailedItems> {
  if (result.failed === 0) return { items: [] };
  const clients = tencentClientsFor(ctx);
  if (clients === undefined) return { unavailable: 'set the Tencent settings (TENCENT_*, CI_*) to list them here' };
  const { bucket, region, key } = result.manifestObject;
  try {
    const body = await clients.objects.get(
      { Bucket: bucket, Region: region, Key: key },
      { signal: AbortSignal.timeout(MANIFEST_TIMEOUT_MS) },
    );
    const manifest = JSON.parse(body.toString('utf8')) as { items?: BatchItemOutcome[] };
    return { items: (manifest.items ?? []).filter((item) => item.status === 'failed') };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const reason = typeof code === 'string' ? code : err instanceof Error ? err.name : 'error';
    return { unavailable: `the manifest could not be read (${String(reason)})` };
  }
}

/** One line per failed item: key, failure type and message; or where to look when they are unavailable. */
export function failedItemLines(failures: FailedItems): string {
  if (failures.unavailable !== undefined) return `Failed items: see the manifest (${failures.unavailable}).\n`;
  const items = failures.items ?? [];
  if (items.length === 0) return '';
  const lines = items.map((item) => {
    const reason = item.error ? `${item.error.type ? `${item.error.type}: ` : ''}${item.error.message}` : 'unknown';
    return `  ${item.key}  ${reason}`;
  });
  return `Failed items:\n${lines.join('\n')}\n`;
}
