/** One flag of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The flag may be given more than once (string flags only); read it with `Flags.strings`. */
  multiple?: boolean;
  /** Placeholder shown in help, e.g. `<key>`. */
  value?: string;
  description: string;
}

/** A command: its words (`jobs list`), arguments and flags. */
export interface CommandSpec {
  /** Words after the executable name, e.g. `['jobs', 'list']`. */
  path: readonly string[];
  /** Positional arguments as shown in help, e.g. `<object|url>`. */
  args: string;
  /** Allowed number of positional arguments. */
  positionals: { min: number; max: number };
  summary: string;
  options: Readonly<Record<string, OptionSpec>>;
  /** Extra help lines (examples, notes). */
  notes?: readonly string[];
}
