// Starting transcriptions from your own code: `node client.js <object key in CI_BUCKET>`. TEMPORAL_ADDRESS and
// TEMPORAL_NAMESPACE as for the workers; ASR_TASK_QUEUE is polled by `transcribe-asr-worker` (run-worker.sh),
// APP_TASK_QUEUE by your own worker (embed-worker/worker.ts). Client code imports `temporal-tencent-ci-asr/client`,
// which loads no worker code, and the main entry's types with `import type`.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { RecognitionSettings, TranscribeMediaInput } from 'temporal-tencent-ci-asr';
import {
  executeBatch,
  executeTranscription,
  startTranscription,
  TencentCiAsrClientPlugin,
} from 'temporal-tencent-ci-asr/client';
import { transcribeUpload } from './embed-worker/transcribe-upload';

async function main(): Promise<void> {
  const object = process.argv[2] ?? 'audio/meeting.wav';
  const asrQueue = process.env.ASR_TASK_QUEUE ?? 'tencent-ci-asr'; // the package's default queue
  const appQueue = process.env.APP_TASK_QUEUE ?? 'my-app';
  const { connectionOptions, namespace } = loadClientConnectConfig();
  const connection = await Connection.connect(connectionOptions);
  // The plugin checks every start of this package's workflows (input, namespace search attributes) before sending it.
  const client = new Client({ connection, namespace, plugins: [new TencentCiAsrClientPlugin()] });
  const recognition: RecognitionSettings = { speechRecognition: { EngineModelType: '16k_zh', ChannelNum: 1 } };
  const input = (name: string): TranscribeMediaInput => ({
    media: { object },
    recognition,
    output: { key: `transcripts/${object}.${name}.txt` },
  });
  try {
    // A typed handle: status() while it runs, result() when it is done.
    const handle = await startTranscription(client, input('handle'), { taskQueue: asrQueue });
    console.log(`started ${handle.workflowId} (${(await handle.status()).phase})`);
    console.log(`startTranscription: ${(await handle.result()).resultObject.uri}`);

    // Start and wait in one call.
    const result = await executeTranscription(client, input('execute'), { taskQueue: asrQueue });
    console.log(`executeTranscription: ${result.resultObject.uri}`);

    // A batch (here of one file) on your own worker, whose plugin runs the CI quota worker batches need.
    const batch = await executeBatch(client, { source: { keys: [object] }, recognition }, { taskQueue: appQueue });
    console.log(`executeBatch: ${batch.succeeded}/${batch.total} (manifest ${batch.manifestObject.uri})`);

    // Your workflow (embed-worker/transcribe-upload.ts), with transcribeMedia as a child on your queue, then on this package's worker's queue.
    for (const transcriptionTaskQueue of [undefined, asrQueue]) {
      const where = await client.workflow.execute(transcribeUpload, {
        taskQueue: appQueue,
        workflowId: `transcribe-upload-${randomUUID()}`,
        args: [input(transcriptionTaskQueue ? 'child-asr-queue' : 'child-app-queue'), { transcriptionTaskQueue }],
      });
      console.log(`transcribeUpload: ${where}`);
    }
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
