import { createHash } from 'node:crypto';

/** Prefix that marks `UserData` written by this package, versioned so the format can change safely. */
const TAG_PREFIX = 'temporal-asr:v1:';

/**
 * The `UserData` tag naming the one CI job a workflow step owns. CI has no idempotency key, so a retried submit
 * finds the job an earlier attempt created by this tag. The workflow id is hashed: ids may hold characters CI
 * refuses in `UserData` (printable ASCII only, ≤ 1024), and the hash keeps the tag short and fixed-length. The run id
 * is part of it so that a new execution reusing a workflow id never adopts an earlier execution's job (a submit only
 * runs in the first run of a continue-as-new chain, so the id is stable for the step's whole life).
 */
export function jobTagFor(execution: { namespace: string; workflowId: string; runId: string }, step: string): string {
  const { namespace, workflowId, runId } = execution;
  const digest = createHash('sha256')
    .update(`${namespace}\n${workflowId}\n${runId}\n${step}`)
    .digest('hex')
    .slice(0, 40);
  return `${TAG_PREFIX}${digest}`;
}

/**
 * The tag of `step` in the workflow run an activity serves: the one function submit, sweeps and cleanup derive it
 * with. The run id is the current run's (`workflowExecution.runId`), the run that submits; a cleanup called without
 * the submit's answer names that run (`runId`) when it is not its own.
 */
export function stepTag(
  info: { namespace: string; workflowExecution?: { workflowId: string; runId: string } },
  step: string,
  runId?: string,
): string {
  const { workflowId = '', runId: current = '' } = info.workflowExecution ?? {};
  return jobTagFor({ namespace: info.namespace, workflowId, runId: runId ?? current }, step);
}

/**
 * Whether `UserData` is a tag this package wrote (any version), i.e. the job belongs to one of our workflow steps.
 * Queue-level callbacks also arrive for jobs other applications submit to the same queue; those are not ours.
 */
export function isPackageJobTag(userData: string | undefined): boolean {
  return userData?.startsWith(TAG_PREFIX.slice(0, TAG_PREFIX.indexOf(':') + 1)) === true;
}
