import { TencentCiAsrError } from '../shared/errors';

/**
 * A workflow input rejected by the client before anything was started; lists every problem at once. Thrown by
 * `validateTranscriptionInput`, `startTranscription`, `transcribe`, `startBatch` and `transcribeBatchAndWait`.
 */
export class InvalidWorkflowInputError extends TencentCiAsrError {
  override readonly name = 'InvalidWorkflowInputError';

  constructor(
    /** The workflow type the input was meant for, e.g. `transcribeMedia`. */
    readonly workflowType: string,
    /** Every problem found, one sentence each. */
    readonly problems: readonly string[],
  ) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(`Invalid ${workflowType} input (${count}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
