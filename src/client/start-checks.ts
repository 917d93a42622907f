import type { ClientOptions, ConnectionLike, WorkflowClientInterceptor } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { PROJECT_SEARCH_ATTRIBUTES } from '../shared/search-attributes';
import { TRANSCRIBE_BATCH_WORKFLOW, validateBatchInput } from './batch';
import { MissingSearchAttributesError } from './errors';
import { TRANSCRIBE_MEDIA_WORKFLOW, validateTranscriptionInput } from './transcription';

/** Input checks of this package's workflow types, by type name; each throws `InvalidWorkflowInputError`. */
const INPUT_CHECKS: Record<string, (input: unknown) => void> = {
  [TRANSCRIBE_MEDIA_WORKFLOW]: (input) => validateTranscriptionInput(input as never),
  [TRANSCRIBE_BATCH_WORKFLOW]: (input) => validateBatchInput(input as never),
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

/**
 * `options` with the start checks added innermost: after the user's interceptors and any a plugin added, just
 * before the request. Refuses the deprecated factory form of `interceptors.workflow`.
 */
export function withStartChecks(options: ClientOptions, checkSearchAttributes: boolean): ClientOptions {
  const checks = startChecksInterceptor({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    checkSearchAttributes,
  });
  const workflow = options.interceptors?.workflow ?? [];
  if (!Array.isArray(workflow)) {
    throw new TypeError(
      'The start checks of temporal-tencent-ci-asr need the array form of ClientOptions.interceptors.workflow, ' +
        'not the deprecated factory',
    );
  }
  return { ...options, interceptors: { ...options.interceptors, workflow: [...workflow, checks] } };
}
