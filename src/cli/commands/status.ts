import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { getBatchHandle, TRANSCRIBE_BATCH_WORKFLOW } from '../../client/batch';
import { getTranscriptionHandle, TRANSCRIBE_MEDIA_WORKFLOW } from '../../client/transcription';
import type { CliContext } from '../context';
import { errorChain } from '../errors';
import type { ErrorLink } from '../errors';
import { formatFields, formatProgress, formatStatus, writeJson } from '../output';

/** A checked `status` command line. */
export interface StatusCommand {
  kind: 'status';
  workflowId: string;
  json: boolean;
}

/** How long to wait for a query answer; a workflow whose worker is down cannot answer at all. */
const QUERY_TIMEOUT_MS = 5_000;

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
  result?: unknown;
  error?: ErrorLink[];
}

async function withTimeout<T>(work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), QUERY_TIMEOUT_MS)));
  try {
    return await Promise.race([work.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function outcome(description: WorkflowExecutionDescription, result: () => Promise<unknown>) {
  const name = description.status.name;
  if (name === 'RUNNING' || name === 'CONTINUED_AS_NEW') return {};
  return await result().then(
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
    return { live: () => handle.progress(), result: () => handle.result() };
  }
  return undefined;
}

/** Describes a workflow and adds what its own query and result say, for this package's workflow types. */
async function inspectWorkflow(client: Client, workflowId: string): Promise<WorkflowReport> {
  const description = await client.workflow.getHandle(workflowId).describe();
  const report: WorkflowReport = {
    workflowId,
    runId: description.runId,
    type: description.type,
    status: description.status.name,
    taskQueue: description.taskQueue,
    startTime: description.startTime,
    closeTime: description.closeTime,
  };
  const watched = watchedHandle(client, description.type, workflowId);
  if (watched === undefined) return report;
  return { ...report, live: await withTimeout(watched.live()), ...(await outcome(description, watched.result)) };
}

function liveLine(report: WorkflowReport): string | undefined {
  if (report.live === undefined) return undefined;
  if (report.type === TRANSCRIBE_MEDIA_WORKFLOW) return formatStatus(report.live as Parameters<typeof formatStatus>[0]);
  return formatProgress(report.live as Parameters<typeof formatProgress>[0]);
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
        ['Live', liveLine(report)],
        ['Result', resultLocation(report.result)],
        ['Failure', report.error?.map((l) => (l.type ? `${l.type}: ${l.message}` : l.message)).join(' <- ')],
      ]),
    );
  }
  // The command succeeded in reporting, whatever the workflow's own outcome; scripts read `status` from --json.
  return 0;
}
