// Recipe 2: your own worker runs this package's activities and workflows next to yours. It reads the same environment
// variables as `transcribe-asr-worker` (TEMPORAL_*, TENCENT_*, CI_*, CALLBACK_*); TEMPORAL_TASK_QUEUE is your queue.
import { NativeConnection, Worker } from '@temporalio/worker';
import { activityDepsFromConfig, createActivities, createQuotaWorker, loadWorkerConfig } from 'temporal-tencent-ci-asr';

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  // Or build ActivityDeps by hand: { ciFor, objects, defaults, callbacks? } (see createTencentClients).
  const { deps } = activityDepsFromConfig(config);
  const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      // Your workflows file re-exports this package's workflows next to your own.
      workflowsPath: require.resolve('./workflows'),
      // Add your own activities alongside: { ...createActivities(deps), ...yourActivities }.
      activities: createActivities(deps),
    });
    // Batches take one admission per item from the CI quota queue; its rate limit is shared by every worker.
    const quota = await createQuotaWorker({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      submitsPerSecond: config.ciSubmitsPerSecond,
    });
    await Promise.all([worker.run(), quota.run()]); // Until SIGINT or SIGTERM, after in-flight tasks drain.
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
