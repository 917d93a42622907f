import type { WorkerDeploymentVersion } from '@temporalio/common';
import type { WorkerOptions } from '@temporalio/worker';
import { PluginSetupError } from './errors';

type DeploymentOptions = NonNullable<WorkerOptions['workerDeploymentOptions']>;

/**
 * The worker's Worker Versioning options for `version`. This package's workflows declare their own behaviour
 * (`PINNED`), so the default only reaches the user's own workflows in the same worker: `AUTO_UPGRADE`, how an
 * unversioned worker's runs behave (they move to new code and keep needing patches), so turning versioning on changes
 * nothing for them until they declare a behaviour of their own.
 */
export function deploymentOptionsFor(version: WorkerDeploymentVersion): DeploymentOptions {
  return { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}

/**
 * `options` polling as `version` (unchanged without one). The user's own `workerDeploymentOptions` win when they name
 * the same version (their default behaviour is kept); another version, or versioning turned off, is refused: a worker
 * cannot belong to two versions.
 */
export function withDeploymentVersion(options: WorkerOptions, version?: WorkerDeploymentVersion): WorkerOptions {
  if (!version) return options;
  const own = options.workerDeploymentOptions;
  if (!own) return { ...options, workerDeploymentOptions: deploymentOptionsFor(version) };
  if (own.useWorkerVersioning && sameVersion(own.version, version)) return options;
  throw new PluginSetupError(
    `The plugin's workerDeploymentVersion ${describe(version)} disagrees with the worker's own workerDeploymentOptions ` +
      `(${own.useWorkerVersioning ? describe(own.version) : 'versioning off'}): set the version in one place`,
  );
}

function sameVersion(a: WorkerDeploymentVersion, b: WorkerDeploymentVersion): boolean {
  return a.deploymentName === b.deploymentName && a.buildId === b.buildId;
}

function describe(version: WorkerDeploymentVersion): string {
  return `${version.deploymentName}/${version.buildId}`;
}
