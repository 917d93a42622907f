/** Parsing of the command line: the command and its flags, typed flag values, and the options several commands share. */
import { parseArgs } from 'node:util';
import { ENGINE_MODEL_TYPES } from '../ci/types';
import { parseWholeNumber } from '../config/reader';
import { isBucketName } from '../config/tencent-settings';
import type { MediaSource, RecognitionSettings, TranscribeMediaInput } from '../workflows/transcribe-media/input';
import { UsageError } from './errors';
import type { CommandSpec } from './command-spec';
import { CLI_NAME, COMMANDS, commandHelp, groupHelp, mainHelp } from './help';

/** Flag values of one command line: strings and booleans by flag name. */
export type FlagValues = Readonly<Record<string, string | string[] | boolean | undefined>>;

/** A command line split into its command, positionals and flags; or a request for help. */
export type RawCommand =
  { kind: 'help'; text: string } | { kind: 'command'; spec: CommandSpec; positionals: string[]; flags: FlagValues };

function findCommand(words: readonly string[]): { spec: CommandSpec; rest: string[] } | { help: string } {
  const [first = '', second = ''] = words;
  const groups = new Set(COMMANDS.filter((c) => c.path.length > 1).map((c) => c.path[0]!));
  const tops = [...new Set(COMMANDS.map((c) => c.path[0]!))];
  if (groups.has(first)) {
    if (second === '--help' || second === '-h' || second === 'help') return { help: groupHelp(first) };
    const subs = COMMANDS.filter((c) => c.path[0] === first).map((c) => c.path[1]!);
    if (second === '') throw new UsageError(`'${first}' needs a command: ${subs.join(', ')}.`, first);
    const spec = COMMANDS.find((c) => c.path[0] === first && c.path[1] === second);
    if (spec) return { spec, rest: words.slice(2) };
    throw new UsageError(`Unknown command '${first} ${second}'.${hint(second, subs, `${first} `)}`, first);
  }
  const spec = COMMANDS.find((c) => c.path.length === 1 && c.path[0] === first);
  if (spec) return { spec, rest: words.slice(1) };
  throw new UsageError(`Unknown command '${first}'.${hint(first, tops)}`);
}

function hint(input: string, candidates: readonly string[], prefix = ''): string {
  const match = closest(input, candidates);
  return match === undefined ? '' : ` Did you mean '${prefix}${match}'?`;
}

/** Turns node:util's parse errors into messages that name the command and suggest the nearest flag. */
function usageErrorFrom(err: unknown, spec: CommandSpec): UsageError {
  const command = spec.path.join(' ');
  const e = err as { code?: string; message?: string };
  const flag = /'(-{1,2}[^'\s]+)/.exec(e.message ?? '')?.[1];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag !== undefined) {
    const name = flag.replace(/^-+/, '');
    const message = `Unknown option '${flag}' for '${command}'.${hint(name, Object.keys(spec.options), '--')}`;
    return new UsageError(message, command, { cause: err });
  }
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag !== undefined) {
    const option = spec.options[flag.replace(/^-+/, '')];
    const expected = option?.type === 'string' ? ` needs a value ${option.value ?? ''}`.trimEnd() : ' takes no value';
    return new UsageError(`Option '${flag}'${expected}.`, command, { cause: err });
  }
  return new UsageError(e.message ?? String(err), command, { cause: err });
}

/** Splits argv (without `node` and the script) into a command and its flags. Pure; throws {@link UsageError}. */
export function splitCommandLine(argv: readonly string[]): RawCommand {
  const [first] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help', text: mainHelp() };
  if (first === 'help') {
    if (argv.length === 1) return { kind: 'help', text: mainHelp() };
    const found = findCommand(argv.slice(1));
    return { kind: 'help', text: 'help' in found ? found.help : commandHelp(found.spec) };
  }
  if (first.startsWith('-')) throw new UsageError(`Expected a command before '${first}'.`);
  const found = findCommand(argv);
  if ('help' in found) return { kind: 'help', text: found.help };
  const { spec, rest } = found;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    const options = Object.fromEntries(
      Object.entries(spec.options).map(([name, o]) => [
        name,
        // `-h` is `--help` on every command, as on the top level.
        { type: o.type, multiple: o.multiple === true, ...(name === 'help' ? { short: 'h' } : {}) },
      ]),
    );
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageErrorFrom(err, spec);
  }
  if (parsed.values.help === true) return { kind: 'help', text: commandHelp(spec) };
  const command = spec.path.join(' ');
  const { min, max } = spec.positionals;
  if (parsed.positionals.length < min) throw new UsageError(`'${command}' needs ${spec.args}.`, command);
  if (parsed.positionals.length > max) {
    const extra = parsed.positionals.slice(max).join(' ');
    throw new UsageError(`Unexpected argument(s) for '${command}': ${extra}`, command);
  }
  return { kind: 'command', spec, positionals: parsed.positionals, flags: parsed.values as FlagValues };
}

/** The line pointing a user at the help of `command`. */
export function helpHint(command?: string): string {
  return `Run '${[CLI_NAME, command, '--help'].filter(Boolean).join(' ')}' for usage.`;
}

/** Levenshtein distance, for "did you mean" hints on mistyped commands and flags. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate within a small edit distance, for a " Did you mean X?" hint; undefined if none is close. */
function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = distance(input, name);
    if (best === undefined || d < best.d) best = { name, d };
  }
  const limit = Math.max(1, Math.floor(input.length / 3));
  return best !== undefined && best.d <= limit ? best.name : undefined;
}

/** Typed access to one command's flag values; every bad value is a {@link UsageError} naming the flag. */
export class Flags {
  constructor(
    private readonly values: FlagValues,
    private readonly command: string,
  ) {}

  /** A string flag, or undefined when absent. */
  string(name: string): string | undefined {
    const value = this.values[name];
    if (typeof value !== 'string') return undefined;
    if (value.trim() === '') throw this.error(`--${name} must not be empty.`);
    return value;
  }

  /** Every value of a repeatable string flag (`multiple` in its spec), in order; empty when absent. */
  strings(name: string): string[] {
    const value = this.values[name];
    const all = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
    if (all.some((v) => v.trim() === '')) throw this.error(`--${name} must not be empty.`);
    return all;
  }

  /** A boolean flag. */
  bool(name: string): boolean {
    return this.values[name] === true;
  }

  /** One of `allowed` (case-insensitive), returned in its canonical spelling. */
  choice<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const match = allowed.find((a) => a.toLowerCase() === raw.toLowerCase());
    if (match === undefined) throw this.error(`--${name} must be one of ${allowed.join(', ')} (got '${raw}').`);
    return match;
  }

  /** A whole number within bounds. */
  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = parseWholeNumber(raw, min, max);
    if (value === undefined) throw this.error(`--${name} must be a whole number from ${min} to ${max} (got '${raw}').`);
    return value;
  }

  /** An ISO 8601 date-time. */
  date(name: string): Date | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const date = new Date(raw);
    if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(date.getTime())) {
      throw this.error(`--${name} must be an ISO 8601 time such as 2026-11-24T08:00:00Z (got '${raw}').`);
    }
    return date;
  }

  /** A comma-separated list without empty entries. */
  list(name: string): string[] | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const items = raw.split(',').map((s) => s.trim());
    if (items.some((s) => s === '')) throw this.error(`--${name} must be a comma-separated list without blanks.`);
    return items;
  }

  /** A usage error pointing at this command's help. */
  error(message: string): UsageError {
    return new UsageError(message, this.command);
  }
}

/** Engine used when neither --engine nor --template is given. */
const DEFAULT_ENGINE = '16k_zh';

/** The bucket of --bucket or a `cos://` URI, refused unless it has COS's `name-appid` form. */
function checkedBucket(bucket: string | undefined, flags: Flags, where: string): string | undefined {
  if (bucket !== undefined && !isBucketName(bucket)) {
    throw flags.error(`${where}: bucket '${bucket}' must look like name-appid, e.g. media-1250000000.`);
  }
  return bucket;
}

/** --region, refused unless it looks like `ap-guangzhou`. */
export function regionFlag(flags: Flags): string | undefined {
  const region = flags.string('region');
  if (region !== undefined && !/^[a-z]+(?:-[a-z0-9]+)+$/.test(region)) {
    throw flags.error(`--region must look like ap-guangzhou (got '${region}').`);
  }
  return region;
}

/**
 * The media argument: an http(s) URL, `cos://bucket/key` (the bucket becomes the job's bucket), or a plain object
 * key in the default bucket. Also returns the bucket from --bucket, checked against a `cos://` bucket.
 */
export function mediaSource(target: string, flags: Flags): { media: MediaSource; bucket?: string } {
  const bucketFlag = checkedBucket(flags.string('bucket'), flags, '--bucket');
  if (/^https?:\/\//i.test(target)) return { media: { url: target }, bucket: bucketFlag };
  if (!/^cos:\/\//i.test(target)) return { media: { object: target.replace(/^\/+/, '') }, bucket: bucketFlag };
  const cos = /^cos:\/\/([^/]+)\/(.+)$/.exec(target);
  if (cos === null) throw flags.error(`'${target}' is not a COS URI: use cos://<name-appid>/<key>.`);
  const [, bucket, key] = cos as unknown as [string, string, string];
  checkedBucket(bucket, flags, target);
  if (bucketFlag !== undefined && bucketFlag !== bucket) {
    throw flags.error(`--bucket ${bucketFlag} contradicts the bucket of ${target}.`);
  }
  return { media: { object: key }, bucket };
}

/** --template, or --engine (default {@link DEFAULT_ENGINE}) with one channel. */
export function recognitionFrom(flags: Flags): RecognitionSettings {
  const template = flags.string('template');
  const engine = flags.string('engine');
  if (template !== undefined && engine !== undefined) throw flags.error('Give --engine or --template, not both.');
  if (template !== undefined) return { templateId: template };
  const model = ENGINE_MODEL_TYPES.find((m) => m === (engine ?? DEFAULT_ENGINE));
  if (model === undefined) {
    const near = closest(engine ?? '', ENGINE_MODEL_TYPES);
    const hint = near === undefined ? ` Known models: ${ENGINE_MODEL_TYPES.join(', ')}.` : ` Did you mean '${near}'?`;
    throw flags.error(`--engine: unknown engine model '${engine ?? ''}'.${hint}`);
  }
  return { speechRecognition: { EngineModelType: model, ChannelNum: 1 } };
}

/** Callback and deadline settings shared by `transcribe` and each `batch` item. */
export function itemOptions(flags: Flags): Pick<TranscribeMediaInput, 'callback' | 'deadline'> {
  const format = flags.choice('callback-format', ['XML', 'JSON'] as const);
  const disabled = flags.bool('no-callback');
  if (disabled && format !== undefined) throw flags.error('--no-callback and --callback-format contradict each other.');
  const deadline = flags.string('deadline');
  // The deadline stays a string here; `resolveTranscribeMediaInput` checks it like any other caller's.
  return {
    ...(disabled ? { callback: { enabled: false } } : format !== undefined ? { callback: { format } } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
  };
}

/** A usage error listing the problems the shared input checks found. */
export function problemsError(flags: Flags, what: string, problems: readonly string[]): UsageError {
  return flags.error(`Invalid ${what}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}
