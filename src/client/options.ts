import type { WorkflowOptions } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DEFAULT_TASK_QUEUE } from '../shared/constants';

/**
 * Options of the start helpers: every Temporal start option, with `taskQueue` defaulting to this package's queue
 * (`tencent-ci-asr`) and `workflowId` to a fresh `<prefix>-<uuid>`.
 */
export type StartWorkflowOptions = Omit<WorkflowOptions, 'taskQueue' | 'workflowId'> & {
  /** Task queue served by a worker with this package's workflows; default `DEFAULT_TASK_QUEUE`. */
  taskQueue?: string;
  /** Workflow id; default `transcribe-<uuid>` (single files) or `transcribe-batch-<uuid>` (batches). */
  workflowId?: string;
};

/** Fills in the defaults of {@link StartWorkflowOptions}. */
export function withStartDefaults(
  options: StartWorkflowOptions,
  idPrefix: string,
): WorkflowOptions & { workflowId: string; taskQueue: string } {
  return {
    ...options,
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowId: options.workflowId ?? `${idPrefix}-${randomUUID()}`,
  };
}
