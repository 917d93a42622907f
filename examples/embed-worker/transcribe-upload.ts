// Recipe 3: a workflow of yours that runs `transcribeMedia` as a child and uses its typed result.
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { TranscribeMediaInput } from 'temporal-tencent-ci-asr';
import { transcribeMedia } from 'temporal-tencent-ci-asr/workflows';
import type * as activities from './activities';

const { notifyUploader } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

/** Where the child runs. */
export interface TranscribeUploadOptions {
  /**
   * Omitted: this workflow's own task queue (your worker registers `transcribeMedia`, recipe 2). Otherwise the queue a
   * `transcribe-asr-worker` polls (recipe 1), e.g. `tencent-ci-asr`.
   */
  transcriptionTaskQueue?: string;
}

/** Transcribes an uploaded file, tells the uploader, and returns where the transcript is. */
export async function transcribeUpload(
  input: TranscribeMediaInput,
  options: TranscribeUploadOptions = {},
): Promise<string> {
  const result = await executeChild(transcribeMedia, {
    args: [input],
    workflowId: `${workflowInfo().workflowId}-transcription`,
    taskQueue: options.transcriptionTaskQueue,
  });
  // Only locations travel through history; read the text from COS in an activity when you need it.
  await notifyUploader(result.resultObject.uri);
  return `${result.resultObject.uri} (${result.segments} segments)`;
}
