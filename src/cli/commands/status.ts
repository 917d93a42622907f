import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { getBatchHandle, TRANSCRIBE_BATCH_WORKFLOW } from '../../client/batch';
import { getTranscriptionHandle, TRANSCRIBE_MEDIA_WORKFLOW } from '../../client/transcription';
import { PROJECT_SEARCH_ATTRIBUTES } from '../../shared/search-attributes';
import type { TranscribeBatchResult } from '../../workflows/transcribe-batch/types';
import type { FailedItems } from '../batch-failures';
import { failedItemLines, readFailedItems } from '../batch-failures';
import type { CliContext } from '../context';
import { QUERY_TIMEOUT_MS, withDeadline } from '../deadline';
import { errorChain } from '../errors';
import type { ErrorLink } from '../errors';
import { formatFields, formatProgress, formatStatus, writeJson } from '../output';

/** A checked `status` command line. */
export interface StatusCommand {
  kind: 'status';
  workflowId: string;
  json: boolean;
}

/** What `status` reports about one workflow. */
interface WorkflowReport {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  taskQueue: string;
  startTime: Date;
  closeTime?: Date;
  /** The status or progress query's answer, when a worker answered in time. */
  live?: unknown;
  /** Why there is no live answer (no worker answered in time): the report then rests on what the server recorded. */
  liveUnavailable?: string;
  /** Search attributes the workflow recorded (e.g. `CiJobId`, `CiJobState`), as the server has them. */
  searchAttributes: Record<string, unknown>;
  /** Memo the workflow recorded. */
  memo?: Record<string, unknown>;
  result?: unknown;
  error?: ErrorLink[];
  /** Failed items of a finished batch, from its manifest. */
  failedItems?: FailedItems;
}

/** The live query's answer, or why there is none: a query needs a worker, and none may be running. */
async function liveAnswer(
  client: Client,
  query: () => Promise<unknown>,
): Promise<Pick<WorkflowReport, 'live' | 'liveUnavailable'>> {
  try {
    return { live: await withDeadline(client, 'the status query', query, QUERY_TIMEOUT_MS) };
  } catch (err) {
    const why =
      err instanceof Error && err.name === 'TemporalTimeoutError'
        ? `no worker answered the query within ${QUERY_TIMEOUT_MS / 1000} s`
        : `the query failed (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`;
    return { liveUnavailable: `${why}; showing what the server recorded` };
  }
}

async function outcome(client: Client, description: WorkflowExecutionDescription, result: () => Promise<unknown>) {
  const name = description.status.name;
  if (name === 'RUNNING' || name === 'CONTINUED_AS_NEW') return {};
  return await withDeadline(client, 'the workflow result', result).then(
    (value) => ({ result: value }),
    (err: unknown) => ({ error: errorChain(err) }),
  );
}

/** The live query and the result of this package's workflow types; undefined for any other type. */
function watchedHandle(
  client: Client,
  type: string,
  workflowId: string,
): { live: () => Promise<unknown>; result: () => Promise<unknown> } | undefined {
  if (type === TRANSCRIBE_MEDIA_WORKFLOW) {
    const handle = getTranscriptionHandle(client, workflowId);
    return { live: () => handle.status(), result: () => handle.result() };
  }
  if (type === TRANSCRIBE_BATCH_WORKFLOW) {
    const handle = getBatchHandle(client, workflowId);
    return { live: () => handle.status(), result: () => handle.result() };
  }
  return undefined;
}

/** Describes a workflow and adds what its own query and result say, for this package's workflow types. */
async function inspectWorkflow(client: Client, workflowId: string): Promise<WorkflowReport> {
  const description = await withDeadline(client, 'describe', () => client.workflow.getHandle(workflowId).describe());
  const report: WorkflowReport = {
    workflowId,
    runId: description.runId,
    type: description.type,
    status: description.status.name,
    taskQueue: description.taskQueue,
    startTime: description.startTime,
    closeTime: description.closeTime,
    searchAttributes: Object.fromEntries(description.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value])),
    ...(description.memo && Object.keys(description.memo).length > 0 ? { memo: description.memo } : {}),
  };
  const watched = watchedHandle(client, description.type, workflowId);
  if (watched === undefined) return report;
  return {
    ...report,
    ...(await liveAnswer(client, watched.live)),
    ...(await outcome(client, description, watched.result)),
  };
}

function liveLine(report: WorkflowReport): string | undefined {
  if (report.live === undefined) return undefined;
  if (report.type === TRANSCRIBE_MEDIA_WORKFLOW) return formatStatus(report.live as Parameters<typeof formatStatus>[0]);
  return formatProgress(report.live as Parameters<typeof formatProgress>[0]);
}

function formatValue(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function resultLocation(result: unknown): string | undefined {
  const r = result as { resultObject?: { uri?: string }; manifestObject?: { uri?: string } } | undefined;
  return r?.resultObject?.uri ?? r?.manifestObject?.uri;
}

/** `status`: prints a workflow's state, its live status or progress, and its result or failure; 1 when not found. */
export async function runStatus(cmd: StatusCommand, ctx: CliContext): Promise<number> {
  const client = await ctx.temporal();
  let report: WorkflowReport;
  try {
    report = await inspectWorkflow(client, cmd.workflowId);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    ctx.stderr.write(`error: no workflow with id '${cmd.workflowId}' in this namespace\n`);
    if (cmd.json) writeJson(ctx.stdout, { workflowId: cmd.workflowId, status: 'NOT_FOUND' });
    return 1;
  }
  if (report.type === TRANSCRIBE_BATCH_WORKFLOW && report.result !== undefined) {
    report.failedItems = await readFailedItems(ctx, report.result as TranscribeBatchResult);
  }
  if (cmd.json) writeJson(ctx.stdout, report);
  else {
    ctx.stdout.write(
      formatFields([
        ['Workflow', report.workflowId],
        ['Type', report.type],
        ['Status', report.status],
        ['Task queue', report.taskQueue],
        ['Started', report.startTime.toISOString()],
        ['Closed', report.closeTime?.toISOString()],
        ['Live', liveLine(report) ?? report.liveUnavailable],
        ...PROJECT_SEARCH_ATTRIBUTES.map((key) => [key.name, formatValue(report.searchAttributes[key.name])] as const),
        ...Object.entries(report.memo ?? {}).map(([k, v]) => [`Memo ${k}`, formatValue(v)] as const),
        ['Result', resultLocation(report.result)],
        ['Failure', report.error?.map((l) => (l.type ? `${l.type}: ${l.message}` : l.message)).join(' <- ')],
      ]),
    );
    if (report.failedItems !== undefined) ctx.stdout.write(failedItemLines(report.failedItems));
  }
  // The command succeeded in reporting, whatever the workflow's own outcome; scripts read `status` from --json.
  return 0;
}
