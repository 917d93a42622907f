import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Events in every run of a workflow's continue-as-new chain, from its first run on, counted from the server. */
export async function eventsAcrossRuns(client: Client, workflowId: string, firstRunId: string): Promise<number> {
  let total = 0;
  for (let runId: string | undefined = firstRunId; runId;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    total += events.length;
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return total;
}

/** One forged or replayed `JobsDetail` entry. */
export interface FloodEntry {
  jobId: string;
  state: string;
  userData?: string;
}

/** A callback body in CI's XML shape. */
export function xmlBody(entries: readonly FloodEntry[]): string {
  const details = entries.map(
    (e) =>
      `<JobsDetail><JobId>${e.jobId}</JobId><State>${e.state}</State><Code>Success</Code>` +
      `<Operation>${e.userData === undefined ? '' : `<UserData>${e.userData}</UserData>`}</Operation></JobsDetail>`,
  );
  return `<Response><EventName>TaskFinish</EventName>${details.join('')}</Response>`;
}

/** A callback body in CI's JSON shape (no wrapper, `JobsDetail` an array). */
export function jsonBody(entries: readonly FloodEntry[]): string {
  const details = entries.map((e) => ({
    JobId: e.jobId,
    State: e.state,
    Code: 'Success',
    Operation: e.userData === undefined ? {} : { UserData: e.userData },
  }));
  return JSON.stringify({ EventName: 'TaskFinish', JobsDetail: details });
}

/** One flood request: where, what, and in which format. */
export interface FloodRequest {
  url: string;
  body: string;
  contentType: string;
}

/** How a flood was answered: statuses counted, and the `Retry-After` values of the 429s. */
export interface FloodAnswers {
  statuses: Record<number, number>;
  retryAfter: string[];
}

/** Sends `requests` with `concurrency` in flight and tallies the answers; `onAnswer` sees the running count. */
export async function sendFlood(
  requests: readonly FloodRequest[],
  concurrency: number,
  onAnswer: (answered: number) => void = () => {},
): Promise<FloodAnswers> {
  let answered = 0;
  const answers: FloodAnswers = { statuses: {}, retryAfter: [] };
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < requests.length; i = next++) {
      const { url, body, contentType } = requests[i]!;
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
      await res.arrayBuffer();
      answers.statuses[res.status] = (answers.statuses[res.status] ?? 0) + 1;
      if (res.status === 429) answers.retryAfter.push(res.headers.get('retry-after') ?? '');
      onAnswer(++answered);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return answers;
}
