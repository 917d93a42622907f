// Your own worker runs this package's workflows and activities next to yours: the plugin is the whole embedding (the
// namespace check, the activities, and the CI quota worker that batches and submits share, started and stopped with
// this worker). It reads the same environment as `transcribe-asr-worker` (TEMPORAL_*, TENCENT_*, CI_*, CALLBACK_*);
// TEMPORAL_TASK_QUEUE is your queue.
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadWorkerConfig, TencentCiAsrPlugin } from 'temporal-tencent-ci-asr';
import { notifyUploader } from './activities';

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  const connection = await NativeConnection.connect(config.temporal.connect.connectionOptions);
  try {
    const worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.taskQueue,
      workflowsPath: require.resolve('./workflows'), // yours, re-exporting this package's workflows
      activities: { notifyUploader }, // yours: the plugin adds its own
      plugins: [new TencentCiAsrPlugin(config)],
    });
    await worker.run(); // until SIGINT or SIGTERM, after in-flight tasks drain
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
