import type { ClientOptions } from '@temporalio/client';
import { SimplePlugin } from '@temporalio/plugin';
import { withStartChecks } from './start-checks';

/** Options of {@link TencentCiAsrClientPlugin}. */
export interface TencentCiAsrClientPluginOptions {
  /**
   * Before the first start of `transcribeMedia`/`transcribeBatch`, check that the namespace has the `CiJobId` and
   * `CiJobState` Keyword search attributes (one `ListSearchAttributes` call per client; skipped when the call is not
   * allowed).
   * @default true
   */
  checkSearchAttributes?: boolean;
}

/**
 * The start checks of this package as a client-only plugin, for `new Client({ plugins: [new
 * TencentCiAsrClientPlugin()] })`: every start of `transcribeMedia` or `transcribeBatch` through the client, however
 * it is made (by name, signal-with-start, update-with-start), has its input checked with the workflow's own rules
 * (`InvalidWorkflowInputError`) and, once per client, the namespace's search attributes
 * (`MissingSearchAttributesError`). Loads no worker code; the worker plugin does the same on clients.
 */
export class TencentCiAsrClientPlugin extends SimplePlugin {
  private readonly checkSearchAttributes: boolean;

  constructor(options: TencentCiAsrClientPluginOptions = {}) {
    super({ name: 'TencentCiAsrClientPlugin' });
    this.checkSearchAttributes = options.checkSearchAttributes ?? true;
  }

  /** Adds the start checks innermost: after the user's interceptors, just before the request. */
  override configureClient(options: ClientOptions): ClientOptions {
    return withStartChecks(super.configureClient(options), this.checkSearchAttributes);
  }
}
