import { TencentCiAsrError } from '../shared/errors';

/**
 * A workflow input rejected by the client before anything was started; lists every problem at once. Thrown by
 * `validateTranscriptionInput`, `validateBatchInput`, the start helpers and the plugins' start checks.
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

/**
 * A start of `transcribeMedia`/`transcribeBatch` refused because the namespace lacks the search attributes the
 * workflows upsert (without them every run would fail its first workflow task and retry it forever).
 */
export class MissingSearchAttributesError extends TencentCiAsrError {
  override readonly name = 'MissingSearchAttributesError';

  constructor(
    /** The namespace that was checked. */
    readonly namespace: string,
    /** `Name (Type)` of each missing or mistyped attribute. */
    readonly missing: readonly string[],
  ) {
    const create = missing.map((m) => m.replace(/^(\w+) \((\w+)\)$/, '--name $1 --type $2')).join(' ');
    super(
      `Namespace ${namespace} lacks the search attributes this package's workflows set: ${missing.join(', ')}. ` +
        `Register them, e.g. temporal operator search-attribute create --namespace ${namespace} ${create}`,
    );
  }
}
