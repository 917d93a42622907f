import type { Workflow, WorkflowHandle, WorkflowResultType } from '@temporalio/client';

/** What every run handle of this package offers, whatever the workflow. */
export interface BaseRunHandle<W extends Workflow> {
  readonly workflowId: string;
  /** Run id of the first run, when this handle started it. */
  readonly firstExecutionRunId?: string;
  /** Waits for the run to finish; rejects with `WorkflowFailedError` when it fails, is cancelled or times out. */
  result(): Promise<WorkflowResultType<W>>;
  /** Requests cancellation of the run. */
  cancel(): Promise<void>;
  /** The underlying Temporal handle, for anything else (describe, history, terminate). */
  readonly workflow: WorkflowHandle<W>;
}

/** The workflow-independent part of a run handle over a Temporal handle. */
export function baseRunHandle<W extends Workflow>(workflow: WorkflowHandle<W>, runId?: string): BaseRunHandle<W> {
  return {
    workflowId: workflow.workflowId,
    firstExecutionRunId: runId,
    workflow,
    result: () => workflow.result(),
    cancel: async () => {
      await workflow.cancel();
    },
  };
}
