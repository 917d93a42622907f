import type { ListAsrJobsFilter } from '../ci/list-filter';
import { CI_JOB_STATES } from '../ci/job-state';
import type { TranscribeMediaInput } from '../workflows/transcribe-media/input';
import { resolveTranscribeMediaInput } from '../workflows/transcribe-media/input';
import type { TranscribeBatchInput } from '../workflows/transcribe-batch/types';
import { batchInputProblems } from '../workflows/transcribe-batch/validate';
import { CiValidationError } from '../ci/errors';
import { validateJobIds } from '../ci/validate';
import { splitCommandLine } from './args';
import { Flags } from './flags';
import { itemOptions, mediaSource, recognitionFrom } from './parse-media';

/** How `transcribe --format` prints the transcript. */
export type TranscriptFormat = 'text' | 'srt' | 'vtt';

/** A fully parsed and checked command line. */
export type CliCommand =
  | { kind: 'help'; text: string }
  | {
      kind: 'transcribe';
      input: TranscribeMediaInput;
      workflowId?: string;
      wait: boolean;
      format?: TranscriptFormat;
      json: boolean;
    }
  | { kind: 'batch'; input: TranscribeBatchInput; workflowId?: string; wait: boolean; json: boolean }
  | { kind: 'status'; workflowId: string; json: boolean }
  | { kind: 'jobs-list'; filter: ListAsrJobsFilter; all: boolean; json: boolean }
  | { kind: 'jobs-get'; ids: string[]; json: boolean };

function problemsError(flags: Flags, what: string, problems: readonly string[]): Error {
  return flags.error(`Invalid ${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

function transcribeCommand(target: string, flags: Flags): CliCommand {
  const { media, bucket } = mediaSource(target, flags);
  const output = flags.string('output');
  const input: TranscribeMediaInput = {
    media,
    recognition: recognitionFrom(flags),
    ...(bucket !== undefined ? { bucket } : {}),
    ...(flags.string('region') !== undefined ? { region: flags.string('region') } : {}),
    ...(output !== undefined ? { output: { key: output } } : {}),
    ...itemOptions(flags),
  };
  const resolution = resolveTranscribeMediaInput(input);
  if (!resolution.ok) throw problemsError(flags, 'transcription settings', resolution.problems);
  const format = flags.choice('format', ['text', 'srt', 'vtt'] as const);
  // Printing the transcript needs the result, so --format implies --wait.
  const wait = flags.bool('wait') || format !== undefined;
  return { kind: 'transcribe', input, workflowId: flags.string('workflow-id'), wait, format, json: flags.bool('json') };
}

function batchCommand(prefix: string | undefined, flags: Flags): CliCommand {
  const keys = flags.list('keys');
  if ((keys === undefined) === (prefix === undefined)) throw flags.error('Give either a <prefix> or --keys, not both.');
  const { bucket } = mediaSource(prefix ?? keys?.[0] ?? '', flags);
  const template = flags.string('output-template');
  const maxInFlight = flags.integer('max-in-flight', 1, 100);
  const input: TranscribeBatchInput = {
    source: keys !== undefined ? { keys } : { prefix: prefix ?? '' },
    recognition: recognitionFrom(flags),
    ...(bucket !== undefined ? { bucket } : {}),
    ...(flags.string('region') !== undefined ? { region: flags.string('region') } : {}),
    ...(template !== undefined ? { outputKeyTemplate: template } : {}),
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    ...(flags.bool('fail-fast') ? { failOnItemFailure: true } : {}),
    item: itemOptions(flags),
  };
  const problems = batchInputProblems(input);
  if (problems.length > 0) throw problemsError(flags, 'batch settings', problems);
  return {
    kind: 'batch',
    input,
    workflowId: flags.string('workflow-id'),
    wait: flags.bool('wait'),
    json: flags.bool('json'),
  };
}

function jobsListCommand(flags: Flags): CliCommand {
  const states = flags.list('states')?.map((s) => {
    const match = [...CI_JOB_STATES, 'All' as const].find((c) => c.toLowerCase() === s.toLowerCase());
    if (match === undefined)
      throw flags.error(`--states: unknown state '${s}' (use ${CI_JOB_STATES.join(', ')} or All).`);
    return match;
  });
  const filter: ListAsrJobsFilter = {
    queueId: flags.string('queue'),
    states,
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

function jobsGetCommand(positionals: readonly string[], flags: Flags): CliCommand {
  // `jobs get a,b` is accepted too: CI's own API takes comma-joined ids.
  const ids = positionals.flatMap((p) => p.split(',')).filter((id) => id !== '');
  try {
    validateJobIds(ids);
  } catch (err) {
    if (err instanceof CiValidationError)
      throw problemsError(
        flags,
        'job ids',
        err.issues.map((i) => i.message),
      );
    throw err;
  }
  return { kind: 'jobs-get', ids, json: flags.bool('json') };
}

/** Parses argv (without `node` and the script) into a checked command. Pure; throws `UsageError`. */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  const raw = splitCommandLine(argv);
  if (raw.kind === 'help') return raw;
  const name = raw.spec.path.join(' ');
  const flags = new Flags(raw.flags, name);
  const [first] = raw.positionals;
  switch (name) {
    case 'transcribe':
      return transcribeCommand(first!, flags);
    case 'batch':
      return batchCommand(first, flags);
    case 'status':
      return { kind: 'status', workflowId: first!, json: flags.bool('json') };
    case 'jobs list':
      return jobsListCommand(flags);
    default:
      return jobsGetCommand(raw.positionals, flags);
  }
}
