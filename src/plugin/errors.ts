import { TencentCiAsrError } from '../shared/errors';

/**
 * The plugin cannot configure a worker or client as asked: no activity dependencies for a worker, both `deps` and
 * `tencent` given, or one of the user's own activities has the name of one of ours. Thrown by the plugin's
 * constructor or by `Worker.create`, before anything polls.
 */
export class PluginSetupError extends TencentCiAsrError {
  override readonly name = 'PluginSetupError';
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
