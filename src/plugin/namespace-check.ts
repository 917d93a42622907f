import type { NativeConnection } from '@temporalio/worker';
import { ConfigError } from '../config/reader';
import { PROJECT_SEARCH_ATTRIBUTES } from '../shared/search-attributes';

/** What the check needs of a connection: a worker's `NativeConnection` or a client's `Connection` both have it. */
export type OperatorConnection = Pick<NativeConnection, 'operatorService'>;

/** One of the project's search attributes, as the checks report it. */
export type ProjectSearchAttribute = (typeof PROJECT_SEARCH_ATTRIBUTES)[number];

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
export function cliType(type: string): string {
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
 * The project search attributes (`CiJobId`, `CiJobState`, Keyword) that `namespace` lacks or holds with another type.
 * Throws what listing throws (e.g. no permission to list on some cloud API keys).
 */
export async function missingProjectSearchAttributes(
  connection: OperatorConnection,
  namespace: string,
): Promise<ProjectSearchAttribute[]> {
  const { customAttributes: registered } = await connection.operatorService.listSearchAttributes({ namespace });
  return PROJECT_SEARCH_ATTRIBUTES.filter((key) => registered?.[key.name] !== INDEXED_VALUE_TYPE[key.type]);
}

/**
 * Refuses to run workflows in a namespace without the project's search attributes (`CiJobId`, `CiJobState`, Keyword):
 * there every workflow task after the submit would fail on the upsert and retry forever — the deadline never
 * enforced, the job billed — so the worker stops at start with the command that fixes it (a `ConfigError`: exit 2).
 * A server that does not let the worker list attributes (permissions) is not refused: `onUnknown` is told why.
 */
export async function assertNamespaceReady(
  connection: OperatorConnection,
  namespace: string,
  onUnknown: (reason: string) => void = () => undefined,
): Promise<void> {
  let missing: ProjectSearchAttribute[];
  try {
    missing = await missingProjectSearchAttributes(connection, namespace);
  } catch (err) {
    onUnknown((err as Error).message);
    return;
  }
  if (missing.length === 0) return;
  const names = missing.map((key) => `${key.name} (${cliType(key.type)})`).join(', ');
  const commands = searchAttributeCommands(namespace, missing).map((command) => `    ${command}`);
  throw new ConfigError(`Temporal namespace "${namespace}"`, [
    `missing search attributes ${names}: transcribeMedia sets them, and without them every run would hang after ` +
      `submitting its billed CI job. Register them (add --address/--tls options as for your server), then start again:\n${commands.join('\n')}`,
  ]);
}
