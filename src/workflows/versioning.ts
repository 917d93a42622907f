import type { WorkflowDefinitionOptions } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

/**
 * `PINNED` on a worker that runs as a Worker Deployment Version, nothing on an unversioned one: the server refuses a
 * workflow task that declares a behaviour from a worker without versioning ("versioning behavior cannot be specified
 * without deployment options being set with versioned mode"). Read once per run and worker, at its first activation;
 * a worker with a version but `useWorkerVersioning: false` would still declare it, so leave the version unset there.
 */
export function pinnedWhenVersioned(): WorkflowDefinitionOptions {
  // An unversioned worker still reports a version: its generated build id, with no deployment name.
  return workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: 'PINNED' } : {};
}
