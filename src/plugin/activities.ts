import { createActivities } from '../activities/create-activities';
import type { ActivityDeps } from '../activities/deps';
import type { TencentSettings } from '../config/tencent-settings';
import type { WorkerConfig } from '../config/worker-config';
import { activityDepsFromConfig } from './activity-deps';
import { PluginSetupError } from './errors';

/** Where the plugin's activities get their clients: built by hand, or from settings as `loadWorkerConfig` reads them. */
export interface ActivitySource {
  /** The activities' dependencies, built by hand (tests, custom clients). */
  deps?: ActivityDeps;
  /** Tencent settings (e.g. `loadWorkerConfig(env).tencent`); the plugin builds the CI and COS clients from them. */
  tencent?: TencentSettings;
  /** Callback settings used with `tencent`; without them jobs are polled only. */
  callbacks?: WorkerConfig['callbacks'];
}

/** This package's activities, keyed by the names the workflows call. */
export type PackageActivities = ReturnType<typeof createActivities>;

/** The activities' dependencies and the activities built on them, once per plugin. */
export interface BuiltActivities {
  deps: ActivityDeps;
  activities: PackageActivities;
}

/**
 * Returns a function that builds the activities once, on first use (a client-only process never creates Tencent
 * clients), and throws a {@link PluginSetupError} when the source has no dependencies to build them from.
 * `sharedSubmitQueue` tells them whether lone runs submit on the CI quota queue: true exactly when the plugin runs a
 * quota worker, which then serves those submits (a `deps` object that sets the flag itself, as the package's own
 * tests do, keeps its value).
 */
export function lazyActivities(source: ActivitySource, sharedSubmitQueue: boolean): () => BuiltActivities {
  if (source.deps && source.tencent) {
    throw new PluginSetupError('TencentCiAsrPlugin takes deps or tencent settings, not both');
  }
  let built: BuiltActivities | undefined;
  return () => {
    if (built) return built;
    const { tencent, callbacks } = source;
    const deps = source.deps ?? (tencent && activityDepsFromConfig({ tencent, callbacks }).deps);
    if (!deps) {
      throw new PluginSetupError(
        'TencentCiAsrPlugin needs deps or tencent settings to register its activities on a worker ' +
          '(e.g. new TencentCiAsrPlugin(loadWorkerConfig(process.env))); a plugin without them serves clients only',
      );
    }
    built = { deps, activities: createActivities({ sharedSubmitQueue, ...deps }) };
    return built;
  };
}

/**
 * The user's activities with ours added. A name both define is refused rather than silently overwritten either way:
 * it is almost always `createActivities(deps)` left in the worker options next to the plugin.
 */
export function mergeActivities(user: object | undefined, ours: PackageActivities): object {
  const clashes = Object.keys(ours).filter((name) => user !== undefined && Object.hasOwn(user, name));
  if (clashes.length > 0) {
    throw new PluginSetupError(
      `Worker activities already define ${clashes.join(', ')}, which TencentCiAsrPlugin registers; remove them ` +
        '(the plugin adds createActivities(deps) itself) or rename yours',
    );
  }
  return { ...user, ...ours };
}
