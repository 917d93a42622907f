import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { findTemporalCli, TEMPORAL_CLI_INSTALL_HINT } from '../../devstack/temporal-cli';
import { startTemporalDevServer } from '../../devstack/temporal-dev-server';

/** A connection to a real Temporal server for one test file, and how to release it. */
export interface TemporalTestServer {
  env: TestWorkflowEnvironment;
  /** Closes connections and stops the server if this helper started it. */
  teardown(): Promise<void>;
}

/**
 * Provides a real Temporal server, in this order: the server at `TEMPORAL_ADDRESS` (the test runner starts one per
 * run and sets it); a dev server started from the `temporal` CLI; the SDK's own download. Never a fake.
 */
export async function startTemporalForTests(): Promise<TemporalTestServer> {
  installQuietRuntime();
  const address = process.env.TEMPORAL_ADDRESS;
  if (address) {
    const env = await TestWorkflowEnvironment.createFromExistingServer({
      address,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    });
    return { env, teardown: () => env.teardown() };
  }
  const cli = findTemporalCli();
  if (cli) {
    const server = await startTemporalDevServer({ executable: cli });
    const env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address });
    return {
      env,
      teardown: async () => {
        await env.teardown();
        await server.stop();
      },
    };
  }
  try {
    const env = await TestWorkflowEnvironment.createLocal();
    return { env, teardown: () => env.teardown() };
  } catch (err) {
    throw new Error(
      `No Temporal server for the tests: TEMPORAL_ADDRESS is unset, no CLI was found, and the SDK's download failed. ${TEMPORAL_CLI_INSTALL_HINT}`,
      { cause: err },
    );
  }
}

let runtimeInstalled = false;

/** Keeps worker logs to warnings so test output stays readable; the runtime can be installed once per process. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger((process.env.TEST_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });
  } catch {
    // Already installed by the test file itself: keep that one.
  }
}
