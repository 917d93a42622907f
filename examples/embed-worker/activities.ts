// Recipe 2: an activity of yours, registered next to this package's by the same worker.
import { log } from '@temporalio/activity';

/** Tells whoever uploaded the file where its transcript is (here: a log line). */
export function notifyUploader(transcriptUri: string): Promise<void> {
  log.info('Transcript ready', { transcriptUri }); // A real one would call your notification service.
  return Promise.resolve();
}
