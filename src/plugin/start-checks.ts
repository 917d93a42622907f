import type { ConnectionLike, WorkflowClientInterceptor } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { InvalidWorkflowInputError } from '../client/errors';
import { TRANSCRIBE_BATCH_WORKFLOW } from '../client/batch';
import { TRANSCRIBE_MEDIA_WORKFLOW, validateTranscriptionInput } from '../client/transcription';
import { PROJECT_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import type { TranscribeBatchInput } from '../workflows/transcribe-batch/types';
import { batchInputProblems } from '../workflows/transcribe-batch/validate';
import { MissingSearchAttributesError } from './errors';

/** Input checks of this package's workflow types, by type name; each throws `InvalidWorkflowInputError`. */
const INPUT_CHECKS: Record<string, (input: unknown) => void> = {
  [TRANSCRIBE_MEDIA_WORKFLOW]: (input) => void validateTranscriptionInput(input as never),
  [TRANSCRIBE_BATCH_WORKFLOW]: (input) => {
    const problems =
      typeof input === 'object' && input !== null
        ? batchInputProblems(input as TranscribeBatchInput)
        : ['input must be an object'];
    if (problems.length > 0) throw new InvalidWorkflowInputError(TRANSCRIBE_BATCH_WORKFLOW, problems);
  },
};

/** What the start checks need from the client they are installed on. */
export interface StartCheckOptions {
  connection?: ConnectionLike;
  namespace: string;
  /** Look the namespace's search attributes up before the first start; default true. */
  checkSearchAttributes: boolean;
}

/** `Name (Type)` of each project search attribute the namespace lacks or holds with another type. */
export async function missingSearchAttributes(connection: ConnectionLike, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return PROJECT_SEARCH_ATTRIBUTES.filter(
    (key) => customAttributes?.[key.name] !== encodeSearchAttributeIndexedValueType(key.type),
  ).map((key) => `${key.name} (${key.type[0]}${key.type.slice(1).toLowerCase()})`);
}

/**
 * A workflow client interceptor that checks starts of `transcribeMedia` and `transcribeBatch`, however they are made
 * (`client.workflow.start` by name, signal-with-start, update-with-start): the input with the workflow's own rules,
 * and once per client that the namespace has the search attributes. Other workflow types pass untouched.
 */
export function startChecksInterceptor(options: StartCheckOptions): WorkflowClientInterceptor {
  // Only a confirmed answer is kept: a namespace fixed after a refusal is accepted on the next start.
  let confirmed: Promise<void> | undefined;
  const checkNamespace = async (): Promise<void> => {
    const { connection, namespace } = options;
    if (!options.checkSearchAttributes || !connection) return;
    let missing: string[];
    try {
      missing = await missingSearchAttributes(connection, namespace);
    } catch {
      // No permission to list (some cloud API keys) or an old server: not knowing is no reason to refuse a start.
      return;
    }
    if (missing.length > 0) throw new MissingSearchAttributesError(namespace, missing);
  };
  const check = async (workflowType: string, args: readonly unknown[]): Promise<void> => {
    const checkInput = INPUT_CHECKS[workflowType];
    if (!checkInput) return;
    checkInput(args[0]);
    confirmed ??= checkNamespace().catch((err: unknown) => {
      confirmed = undefined;
      throw err;
    });
    await confirmed;
  };
  return {
    startWithDetails: async (input, next) => {
      await check(input.workflowType, input.options.args);
      return await next(input);
    },
    signalWithStart: async (input, next) => {
      await check(input.workflowType, input.options.args);
      return await next(input);
    },
    startUpdateWithStart: async (input, next) => {
      await check(input.workflowType, input.workflowStartOptions.args);
      return await next(input);
    },
  };
}
