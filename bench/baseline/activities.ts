import { randomUUID } from 'node:crypto';
import { activityInfo } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { baselineDoneSignal } from './messages';

/**
 * Activities of the baseline workflow. `baselineSubmit` plays the part of CI plus the receiver: after `jobMs` it
 * signals the workflow through a Temporal client, as the receiver does when CI calls back.
 */
export function createBaselineActivities(client: Client, onError: (err: unknown) => void) {
  return {
    baselineSubmit(jobMs: number): Promise<string> {
      const workflowId = activityInfo().workflowExecution?.workflowId;
      if (!workflowId) throw new Error('baselineSubmit must run as part of a workflow');
      setTimeout(() => {
        client.workflow.getHandle(workflowId).signal(baselineDoneSignal).catch(onError);
      }, jobMs);
      return Promise.resolve(randomUUID());
    },
    baselineCheck(jobId: string): Promise<string> {
      return Promise.resolve(`stored ${jobId}`);
    },
  };
}
