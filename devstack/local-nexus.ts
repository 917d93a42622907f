import type { Connection } from '@temporalio/client';
import { ensureNexusEndpoint } from '../src/nexus/endpoint';
import { DEFAULT_NEXUS_ENDPOINT, TRANSCRIPTION_SERVICE } from '../src/nexus/contract';
import { ensureNamespace } from './namespaces';

/** Namespace the local stack creates for callers of the `transcription` Nexus service (another team's, in real life). */
export const CALLERS_NAMESPACE = 'asr-callers';

/** What the local stack offers callers in other namespaces: an endpoint that routes to its worker. */
export interface LocalNexus {
  /** Endpoint name callers address (`tencent-ci-asr`). */
  endpoint: string;
  /** The second namespace, for caller workflows. */
  callersNamespace: string;
  /** Namespace and task queue the endpoint targets: the stack's own. */
  namespace: string;
  taskQueue: string;
}

/** Options of {@link offerNexus}. */
export interface LocalNexusOptions {
  /** @default DEFAULT_NEXUS_ENDPOINT */
  endpoint?: string;
  /** @default CALLERS_NAMESPACE */
  callersNamespace?: string;
}

/**
 * Creates the callers' namespace and the Nexus endpoint targeting the stack's namespace and task queue (both kept when
 * they exist: a dev server's database outlives a restart).
 */
export async function offerNexus(
  connection: Connection,
  target: { namespace: string; taskQueue: string },
  options: LocalNexusOptions = {},
): Promise<LocalNexus> {
  const callersNamespace = options.callersNamespace ?? CALLERS_NAMESPACE;
  const endpoint = options.endpoint ?? DEFAULT_NEXUS_ENDPOINT;
  await ensureNamespace(connection, callersNamespace);
  await ensureNexusEndpoint(connection, { name: endpoint, ...target });
  return { endpoint, callersNamespace, ...target };
}

/** The lines the dev stack and the demo print about it, labels padded to `labelWidth` like theirs. */
export function describeNexus(nexus: LocalNexus, labelWidth = 14): string[] {
  const label = (name: string) => `  ${name.padEnd(labelWidth)}`;
  return [
    `${label('Nexus')}endpoint ${nexus.endpoint} → ${nexus.namespace}/${nexus.taskQueue} ` +
      `(service ${TRANSCRIPTION_SERVICE}: transcribe, transcribeBatch)`,
    `${label('Callers')}namespace ${nexus.callersNamespace}  (your caller workflows; docs/nexus.md)`,
  ];
}
