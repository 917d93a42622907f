// Recipe 2: your own worker runs this package's activities and workflows next to yours, through its plugin. It reads
// the same environment variables as `transcribe-asr-worker` (TEMPORAL_*, TENCENT_*, CI_*, CALLBACK_*);
// TEMPORAL_TASK_QUEUE is your queue.
import { NativeConnection, Worker } from '@temporalio/worker';
import { createQuotaWorker, loadWorkerConfig, TencentCiAsrPlugin } from 'temporal-tencent-ci-asr';
import { notifyUploader } from './activities';

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  // Builds the CI and COS clients from config.tencent (or pass { deps } built by hand, see createTencentClients).
  const plugin = new TencentCiAsrPlugin(config);
  const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      plugins: [plugin],
      // Yours: the plugin adds this package's activities to them, and never replaces your workflowsPath...
      activities: { notifyUploader },
      // ...because a workflow bundle is built from one module: yours re-exports this package's workflows.
      workflowsPath: require.resolve('./workflows'),
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
