import type { CommandSpec } from './spec';
import { CLI_NAME, COMMANDS, ENVIRONMENT_HELP } from './spec';

function optionLines(spec: CommandSpec): string[] {
  const rows = Object.entries(spec.options).map(([name, o]) => [
    `--${name}${o.value ? ` ${o.value}` : ''}`,
    o.description,
  ]);
  const width = Math.max(...rows.map(([flag]) => flag!.length));
  return rows.map(([flag, text]) => `  ${flag!.padEnd(width)}  ${text}`);
}

/** Help text of one command. */
export function commandHelp(spec: CommandSpec): string {
  const usage = [CLI_NAME, ...spec.path, spec.args, '[options]'].filter((w) => w !== '').join(' ');
  const lines = [`Usage: ${usage}`, '', spec.summary, '', 'Options:', ...optionLines(spec)];
  if (spec.notes?.length) lines.push('', ...spec.notes);
  return `${lines.join('\n')}\n`;
}

/** Help of a command group such as `jobs`: its subcommands. */
export function groupHelp(group: string): string {
  const members = COMMANDS.filter((c) => c.path[0] === group && c.path.length > 1);
  const lines = members.map((c) => `  ${[...c.path, c.args].join(' ').padEnd(24)}  ${c.summary}`);
  return `Usage: ${CLI_NAME} ${group} <command> [options]\n\nCommands:\n${lines.join('\n')}\n`;
}

/** Top-level help: every command and the environment variables. */
export function mainHelp(): string {
  const lines = COMMANDS.map((c) => `  ${[...c.path, c.args].join(' ').padEnd(26)}  ${c.summary}`);
  return [
    `Usage: ${CLI_NAME} <command> [options]`,
    '',
    'Transcribe media with Tencent Cloud CI speech recognition through Temporal workflows.',
    '',
    'Commands:',
    ...lines,
    '',
    `Run \`${CLI_NAME} <command> --help\` for a command's options.`,
    '',
    'Environment (the same variables as the worker):',
    ...ENVIRONMENT_HELP.map((l) => `  ${l}`),
    '',
    'Exit codes: 0 success, 1 failure, 2 usage error.',
    '',
  ].join('\n');
}
