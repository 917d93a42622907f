import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { ClientConnectConfig } from '@temporalio/envconfig';
import type { ConfigReader } from './reader';

/** Where to reach Temporal, as read by {@link readTemporalConnection}. */
export interface TemporalConnection {
  connect: ClientConnectConfig;
  namespace: string;
}

/**
 * Temporal connection settings from the standard variables (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`,
 * `TEMPORAL_API_KEY`, `TEMPORAL_TLS*`, `TEMPORAL_PROFILE` and the config file). Without an address it is
 * `localhost:7233`, unless `addressRequired` (a server process that must not guess). Problems go to `read`.
 */
export function readTemporalConnection(
  read: ConfigReader,
  { addressRequired = false }: { addressRequired?: boolean } = {},
): TemporalConnection {
  const overrideEnvVars = Object.fromEntries(
    Object.entries(read.env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  try {
    const connect = loadClientConnectConfig({ overrideEnvVars });
    if (!connect.connectionOptions.address && addressRequired) {
      read.problems.push('TEMPORAL_ADDRESS (or an address in the Temporal config profile) is required');
    }
    connect.connectionOptions.address ??= 'localhost:7233';
    return { connect, namespace: connect.namespace ?? 'default' };
  } catch (err) {
    read.problems.push(`Temporal connection settings: ${err instanceof Error ? err.message : String(err)}`);
    return { connect: { connectionOptions: { address: 'localhost:7233' } }, namespace: 'default' };
  }
}

/** Help lines for the Temporal variables, shown by every entry's `--help`. */
export const TEMPORAL_CONNECTION_HELP: readonly string[] = [
  'TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE   Temporal server and namespace (default localhost:7233, default)',
  'TEMPORAL_API_KEY, TEMPORAL_TLS_*       Temporal Cloud / mTLS credentials; or TEMPORAL_PROFILE and its config file',
];
