import { createHash } from 'node:crypto';

/** Prefix that marks `UserData` written by this package, versioned so the format can change safely. */
const TAG_PREFIX = 'temporal-asr:v1:';

/**
 * The `UserData` tag naming the one CI job a workflow step owns. CI has no idempotency key, so a retried submit
 * finds the job an earlier attempt created by this tag. The workflow id is hashed: ids may hold characters CI
 * refuses in `UserData` (printable ASCII only, ≤ 1024), and the hash keeps the tag short and fixed-length.
 */
export function jobTagFor(namespace: string, workflowId: string, step: string): string {
  const digest = createHash('sha256').update(`${namespace}\n${workflowId}\n${step}`).digest('hex').slice(0, 40);
  return `${TAG_PREFIX}${digest}`;
}
