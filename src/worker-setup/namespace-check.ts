import type { NativeConnection } from '@temporalio/worker';
import { ConfigError } from '../config/reader';
import { PROJECT_SEARCH_ATTRIBUTES } from '../shared/search-attributes';

/** `temporal.api.enums.v1.IndexedValueType` numbers (the proto package is not a runtime dependency here). */
const INDEXED_VALUE_TYPE: Record<string, number> = {
  TEXT: 1,
  KEYWORD: 2,
  INT: 3,
  DOUBLE: 4,
  BOOL: 5,
  DATETIME: 6,
  KEYWORD_LIST: 7,
};

/** CLI spelling of a search attribute type (`KEYWORD` → `Keyword`). */
function cliType(type: string): string {
  return type.toLowerCase().replace(/(^|_)(\w)/g, (_, __: string, c: string) => c.toUpperCase());
}

/** The `temporal operator search-attribute create` commands that register `missing` in `namespace`, one per type. */
export function searchAttributeCommands(
  namespace: string,
  missing: readonly { name: string; type: string }[],
): string[] {
  const byType = new Map<string, string[]>();
  for (const { name, type } of missing) byType.set(type, [...(byType.get(type) ?? []), name]);
  return [...byType].map(([type, names]) => {
    const nameFlags = names.map((name) => `--name ${name}`).join(' ');
    return `temporal operator search-attribute create --namespace ${namespace} ${nameFlags} --type ${cliType(type)}`;
  });
}

/**
 * Refuses to run workflows in a namespace without the project's search attributes (`CiJobId`, `CiJobState`, Keyword):
 * there every workflow task after the submit would fail on the upsert and retry forever — the deadline never
 * enforced, the job billed — so the worker stops at start with the command that fixes it (a `ConfigError`: exit 2).
 * A server that does not let the worker list attributes (permissions) is not refused: `onUnknown` is told why.
 */
export async function assertNamespaceReady(
  connection: NativeConnection,
  namespace: string,
  onUnknown: (reason: string) => void = () => undefined,
): Promise<void> {
  let registered: Record<string, unknown>;
  try {
    ({ customAttributes: registered } = await connection.operatorService.listSearchAttributes({ namespace }));
  } catch (err) {
    onUnknown((err as Error).message);
    return;
  }
  const missing = PROJECT_SEARCH_ATTRIBUTES.filter((key) => registered[key.name] !== INDEXED_VALUE_TYPE[key.type]);
  if (missing.length === 0) return;
  const names = missing.map((key) => `${key.name} (${cliType(key.type)})`).join(', ');
  const commands = searchAttributeCommands(namespace, missing).map((command) => `    ${command}`);
  throw new ConfigError(`Temporal namespace "${namespace}"`, [
    `missing search attributes ${names}: transcribeMedia sets them, and without them every run would hang after ` +
      `submitting its billed CI job. Register them (add --address/--tls options as for your server), then start again:\n${commands.join('\n')}`,
  ]);
}
