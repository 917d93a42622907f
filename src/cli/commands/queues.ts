import { redactCallbackUrl } from '../redact-url';
import type { AsrQueue, DescribeAsrQueuesFilter, QueueNotifyConfig, UpdateAsrQueueRequest } from '../../ci/setup';
import { validateQueueUpdate } from '../../ci/setup/validate';
import type { Flags } from '../args';
import type { CliContext } from '../context';
import { CLI_NAME } from '../help';
import { formatTable, writeJson } from '../output';
import type { SetupCommandBase } from './setup-common';
import { checkedBy, idArgument, setupBase, setupClient } from './setup-common';

/** A checked `queues list` command line. */
export interface QueuesListCommand extends SetupCommandBase {
  kind: 'queues-list';
  filter: DescribeAsrQueuesFilter;
}

/** What `queues pause|resume|notify` changes. */
export type QueueAction = 'pause' | 'resume' | 'notify';

/** A checked `queues pause|resume|notify` command line; no `queueId` means the bucket's ASR queue. */
export interface QueuesUpdateCommand extends SetupCommandBase {
  kind: 'queues-update';
  action: QueueAction;
  queueId?: string;
  change: UpdateAsrQueueRequest;
}

/** Parses `queues list [queueId...]`. */
export function parseQueuesList(positionals: readonly string[], flags: Flags): QueuesListCommand {
  const ids = positionals.flatMap((p) => p.split(',')).filter((id) => id !== '');
  ids.forEach((id) => idArgument(flags, id, 'queueId'));
  const filter: DescribeAsrQueuesFilter = {
    ...(ids.length > 0 ? { queueIds: ids } : {}),
    state: flags.choice('state', ['All', 'Active', 'Paused'] as const),
    pageNumber: flags.integer('page', 1, 1_000_000),
    pageSize: flags.integer('size', 1, 100),
  };
  const defined = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
  return { kind: 'queues-list', filter: defined, ...setupBase(flags) };
}

/** `--event`s, repeated or comma-separated, in CI's spelling. */
function events(flags: Flags): string | undefined {
  const all = flags.strings('event').flatMap((e) => e.split(',').map((s) => s.trim()));
  const known = ['TaskFinish', 'WorkflowFinish'];
  const spelled = all.map((e) => {
    const match = known.find((k) => k.toLowerCase() === e.toLowerCase());
    if (match === undefined) throw flags.error(`--event must be TaskFinish or WorkflowFinish (got '${e}').`);
    return match;
  });
  return spelled.length === 0 ? undefined : [...new Set(spelled)].join(',');
}

/** The `NotifyConfig` of `queues notify`: `--off`, or `--url` / `--mq-name` with their options. */
function notifyConfig(flags: Flags): QueueNotifyConfig {
  const url = flags.string('url');
  const mqName = flags.string('mq-name');
  const settings = ['url', 'event', 'result-format', 'mq-name', 'mq-region', 'mq-mode'];
  if (flags.bool('off')) {
    const extra = settings.filter((f) => flags.string(f) !== undefined || flags.strings(f).length > 0);
    if (extra.length > 0) throw flags.error(`--off turns the callback off: drop --${extra.join(', --')}.`);
    return { State: 'Off' };
  }
  if (url === undefined && mqName === undefined) throw flags.error('Give --url (or --mq-name for TDMQ), or --off.');
  if (url !== undefined && mqName !== undefined) throw flags.error('Give --url or --mq-name, not both.');
  const common = {
    State: 'On' as const,
    Event: events(flags) ?? 'TaskFinish',
    ResultFormat: flags.choice('result-format', ['XML', 'JSON'] as const),
  };
  if (url !== undefined) return { ...common, Type: 'Url', Url: url };
  return {
    ...common,
    Type: 'TDMQ',
    MqName: mqName,
    MqRegion: flags.string('mq-region'),
    MqMode: flags.choice('mq-mode', ['Queue', 'Topic'] as const) ?? 'Queue',
  };
}

/** Parses `queues pause|resume|notify [queueId]`, checking the change as the setup client will. */
export function parseQueuesUpdate(action: QueueAction, queueId: string | undefined, flags: Flags): QueuesUpdateCommand {
  const id = idArgument(flags, queueId, 'queueId');
  const change: UpdateAsrQueueRequest =
    action === 'notify'
      ? { notifyConfig: compact(notifyConfig(flags)) }
      : { state: action === 'pause' ? 'Paused' : 'Active' };
  // The id is checked above; a stand-in lets the client's own rules check the change before the id is known.
  checkedBy(flags, 'queue callback', () => validateQueueUpdate(id ?? 'default', change));
  return { kind: 'queues-update', action, ...(id !== undefined ? { queueId: id } : {}), change, ...setupBase(flags) };
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** The queue as printed: its callback URL redacted (see {@link redactCallbackUrl}). */
function printable(q: AsrQueue): AsrQueue {
  const notify = q.notifyConfig;
  if (notify?.Url === undefined) return q;
  return { ...q, notifyConfig: { ...notify, Url: redactCallbackUrl(notify.Url) } };
}

/** One cell describing a queue's callback, e.g. `On Url https://x/cb TaskFinish JSON` or `Off`. */
export function notifySummary(n: QueueNotifyConfig | undefined): string {
  if (n === undefined || n.State === 'Off') return 'Off';
  const where =
    n.Type === 'TDMQ' ? `TDMQ ${n.MqRegion ?? ''}/${n.MqName ?? ''}` : `Url ${redactCallbackUrl(n.Url ?? '')}`;
  return ['On', where, n.Event, n.ResultFormat].filter((p) => p !== undefined && p !== '').join(' ');
}

const HEADER = ['QUEUE ID', 'NAME', 'STATE', 'MAX CONCURRENT', 'CALLBACK'];

function queueRow(q: AsrQueue): string[] {
  return [q.queueId, q.name ?? '', q.state, String(q.maxConcurrent ?? ''), notifySummary(q.notifyConfig)];
}

/** `queues list`: the queues as a table; asked-for ids CI does not know go to stderr and make the exit code 1. */
export async function runQueuesList(cmd: QueuesListCommand, ctx: CliContext): Promise<number> {
  const described = await setupClient(ctx, cmd.target).describeQueues(cmd.filter);
  const page = { ...described, queues: described.queues.map(printable) };
  if (cmd.json) writeJson(ctx.stdout, page);
  else if (page.queues.length === 0) ctx.stdout.write('No queues.\n');
  else ctx.stdout.write(formatTable(HEADER, page.queues.map(queueRow)));
  for (const id of page.nonExistentQueueIds) ctx.stderr.write(`error: no ASR queue with id '${id}'\n`);
  return page.nonExistentQueueIds.length > 0 ? 1 : 0;
}

const DONE: Record<QueueAction, (id: string) => string> = {
  pause: (id) => `Paused queue ${id}: new jobs wait in Pause until '${CLI_NAME} queues resume ${id}'.`,
  resume: (id) => `Resumed queue ${id}: the jobs it held start.`,
  notify: (id) => `Updated the callback of queue ${id}.`,
};

/** `queues pause|resume|notify`: updates the queue (default: the bucket's ASR queue); shows it as `queues list` does. */
export async function runQueuesUpdate(cmd: QueuesUpdateCommand, ctx: CliContext): Promise<number> {
  const client = setupClient(ctx, cmd.target);
  const queueId = cmd.queueId ?? (await client.defaultQueueId());
  const queue = printable(await client.updateQueue(queueId, cmd.change));
  if (cmd.json) {
    writeJson(ctx.stdout, { action: cmd.action, queue });
    return 0;
  }
  ctx.stdout.write(`${DONE[cmd.action](queue.queueId)}\n${formatTable(HEADER, [queueRow(queue)])}`);
  return 0;
}
