import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { ClientConnectConfig } from '@temporalio/envconfig';

/**
 * Temporal connection settings from the standard variables (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`,
 * `TEMPORAL_API_KEY`, `TEMPORAL_TLS*`, `TEMPORAL_PROFILE` and the config file), defaulting to `localhost:7233` /
 * `default`. Problems are added to `problems` rather than thrown.
 */
export function loadTemporalConnection(
  env: Record<string, string | undefined>,
  problems: string[],
): { connect: ClientConnectConfig; namespace: string } {
  const overrideEnvVars = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  try {
    const connect = loadClientConnectConfig({ overrideEnvVars });
    connect.connectionOptions.address ??= 'localhost:7233';
    return { connect, namespace: connect.namespace ?? 'default' };
  } catch (err) {
    problems.push(`Temporal connection settings: ${(err as Error).message}`);
    return { connect: { connectionOptions: { address: 'localhost:7233' } }, namespace: 'default' };
  }
}
