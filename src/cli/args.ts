import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { commandHelp, groupHelp, mainHelp } from './help';
import type { CommandSpec } from './spec';
import { CLI_NAME, COMMANDS } from './spec';
import { closest } from './suggest';

/** Flag values of one command line: strings and booleans by flag name. */
export type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

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
    const options = Object.fromEntries(Object.entries(spec.options).map(([name, o]) => [name, { type: o.type }]));
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
