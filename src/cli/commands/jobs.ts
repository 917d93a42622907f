import type { AsrJob, AsrJobPage } from '../../ci/types';
import { CiValidationError } from '../../ci/errors';
import { CI_JOB_STATES } from '../../ci/job-state';
import type { ListAsrJobsFilter } from '../../ci/list-filter';
import { renderPlainText, segmentsFromResult } from '../../ci/result';
import { validateJobIds } from '../../ci/validate';
import { cosUri } from '../../cos/ref';
import type { Flags } from '../args';
import { problemsError } from '../args';
import type { CliContext } from '../context';
import { CLI_NAME, shellQuote } from '../cli-name';
import { formatFields, formatTable, writeJson } from '../output';

/** A checked `jobs list` command line. */
export interface JobsListCommand {
  kind: 'jobs-list';
  filter: ListAsrJobsFilter;
  all: boolean;
  json: boolean;
}

/** A checked `jobs get` command line. */
export interface JobsGetCommand {
  kind: 'jobs-get';
  ids: string[];
  json: boolean;
}

function jobStates(flags: Flags): ListAsrJobsFilter['states'] {
  return flags.list('states')?.map((s) => {
    const match = [...CI_JOB_STATES, 'All' as const].find((c) => c.toLowerCase() === s.toLowerCase());
    if (match === undefined)
      throw flags.error(`--states: unknown state '${s}' (use ${CI_JOB_STATES.join(', ')} or All).`);
    return match;
  });
}

/** Parses `jobs list`'s flags into a CI list filter. */
export function parseJobsList(flags: Flags): JobsListCommand {
  const filter: ListAsrJobsFilter = {
    queueId: flags.string('queue'),
    states: jobStates(flags),
    startCreationTime: flags.date('since'),
    endCreationTime: flags.date('until'),
    orderByTime: flags.choice('order', ['Asc', 'Desc'] as const),
    size: flags.integer('size', 1, 100),
    nextToken: flags.string('next-token'),
  };
  const { startCreationTime: since, endCreationTime: until } = filter;
  if (since && until && since > until) throw flags.error('--since must not be after --until.');
  if (flags.bool('all') && filter.nextToken !== undefined)
    throw flags.error('--all walks every page: drop --next-token.');
  const defined = Object.entries(filter).filter(([, v]) => v !== undefined);
  return { kind: 'jobs-list', filter: Object.fromEntries(defined), all: flags.bool('all'), json: flags.bool('json') };
}

/** Parses `jobs get <id...>`; `jobs get a,b` is accepted too, since CI's own API takes comma-joined ids. */
export function parseJobsGet(positionals: readonly string[], flags: Flags): JobsGetCommand {
  const ids = positionals.flatMap((p) => p.split(',')).filter((id) => id !== '');
  try {
    validateJobIds(ids);
  } catch (err) {
    if (!(err instanceof CiValidationError)) throw err;
    throw problemsError(
      flags,
      'job ids',
      err.issues.map((i) => i.message),
    );
  }
  return { kind: 'jobs-get', ids, json: flags.bool('json') };
}

function inputOf(job: AsrJob): string {
  return job.Input.Object ?? job.Input.Url ?? '';
}

function jobRow(job: AsrJob): string[] {
  return [job.JobId, job.State, job.CreationTime.toISOString(), job.Code, inputOf(job)];
}

async function collect(cmd: JobsListCommand, ctx: CliContext): Promise<AsrJobPage> {
  const ci = ctx.tencent().ci;
  if (!cmd.all) return await ci.list(cmd.filter);
  const jobs: AsrJob[] = [];
  for await (const job of ci.listAll(cmd.filter)) jobs.push(job);
  return { jobs };
}

/** `jobs list`: one page of CI jobs (with the next page's token), or every page with `--all`. */
export async function runJobsList(cmd: JobsListCommand, ctx: CliContext): Promise<number> {
  const page = await collect(cmd, ctx);
  if (cmd.json) {
    writeJson(ctx.stdout, { jobs: page.jobs, ...(page.nextToken !== undefined ? { nextToken: page.nextToken } : {}) });
    return 0;
  }
  if (page.jobs.length === 0) ctx.stdout.write('No jobs.\n');
  else ctx.stdout.write(formatTable(['JOB ID', 'STATE', 'CREATED', 'CODE', 'INPUT'], page.jobs.map(jobRow)));
  // CI sends a token even on the last page; a further request is the only way to know, so always offer it.
  if (page.nextToken !== undefined && page.jobs.length > 0) {
    ctx.stdout.write(`\nNext page: ${CLI_NAME} jobs list --next-token ${shellQuote(page.nextToken)} (same filters)\n`);
  }
  return 0;
}

function describeJob(job: AsrJob): string {
  const recognition = job.Operation.SpeechRecognitionResult;
  const output = job.Operation.Output;
  const fields = formatFields([
    ['Job', job.JobId],
    ['State', job.State],
    ['Code', job.Code],
    ['Message', job.Message],
    ['Queue', job.QueueId],
    ['Created', job.CreationTime.toISOString()],
    ['Started', job.StartTime?.toISOString()],
    ['Ended', job.EndTime?.toISOString()],
    ['Input', inputOf(job)],
    ['Output', output ? cosUri({ Bucket: output.Bucket, Key: output.Object }) : undefined],
    ['Engine', job.Operation.SpeechRecognition?.EngineModelType ?? job.Operation.TemplateId],
    ['Audio', recognition ? `${recognition.AudioTime} s` : undefined],
  ]);
  if (recognition === undefined) return fields;
  let text: string;
  try {
    text = renderPlainText(segmentsFromResult(recognition));
  } catch {
    text = `${recognition.Result}\n`;
  }
  return `${fields}\n${text}`;
}

/** `jobs get`: shows each job; ids CI does not know are reported on stderr and make the exit code 1. */
export async function runJobsGet(cmd: JobsGetCommand, ctx: CliContext): Promise<number> {
  const { jobs, nonExistentJobIds } = await ctx.tencent().ci.get(cmd.ids);
  if (cmd.json) writeJson(ctx.stdout, { jobs, nonExistentJobIds });
  else ctx.stdout.write(jobs.map(describeJob).join('\n'));
  for (const id of nonExistentJobIds) ctx.stderr.write(`error: no CI job with id '${id}'\n`);
  return nonExistentJobIds.length > 0 ? 1 : 0;
}
