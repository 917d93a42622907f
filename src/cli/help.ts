import { CLI_NAME } from './cli-name';
import type { CommandSpec, OptionSpec } from './command-spec';
import { SETUP_COMMANDS } from './commands/setup-specs';

export { CLI_NAME } from './cli-name';

const json: OptionSpec = { type: 'boolean', description: 'Print machine-readable JSON on stdout' };
const help: OptionSpec = { type: 'boolean', description: 'Show this help' };
const recognition: Record<string, OptionSpec> = {
  engine: { type: 'string', value: '<model>', description: 'CI engine model (default 16k_zh)' },
  template: { type: 'string', value: '<id>', description: 'CI ASR template id instead of --engine' },
  bucket: { type: 'string', value: '<name-appid>', description: "Media bucket (default: the worker's CI_BUCKET)" },
  region: { type: 'string', value: '<region>', description: "Region of --bucket (default: the worker's CI_REGION)" },
  'callback-format': { type: 'string', value: 'XML|JSON', description: 'Format of CI callbacks (default XML)' },
  'no-callback': { type: 'boolean', description: 'Do not ask CI for callbacks; poll only' },
  deadline: { type: 'string', value: '<duration>', description: 'Per-item deadline, e.g. 30m or 6h (default 6h)' },
  'workflow-id': { type: 'string', value: '<id>', description: 'Workflow id (default: a fresh unique id)' },
  wait: { type: 'boolean', description: 'Wait for the result, showing live status' },
};

/** Every command the CLI knows. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    path: ['transcribe'],
    args: '<object|url>',
    positionals: { min: 1, max: 1 },
    summary: 'Transcribe one media file (an object key, cos://bucket/key, or an http(s) URL)',
    options: {
      ...recognition,
      output: { type: 'string', value: '<key>', description: 'Transcript key (default asr/<object>.txt)' },
      format: { type: 'string', value: 'text|srt|vtt', description: 'With --wait: also print the transcript' },
      json,
      help,
    },
    notes: [`Example: ${CLI_NAME} transcribe audio/meeting.wav --wait --format srt`],
  },
  {
    path: ['batch'],
    args: '[prefix]',
    positionals: { min: 0, max: 1 },
    summary: 'Transcribe every media object under a prefix, or the objects given with --keys',
    options: {
      ...recognition,
      keys: { type: 'string', value: '<a,b,...>', description: 'Explicit object keys instead of a prefix' },
      'max-in-flight': { type: 'string', value: '<n>', description: 'Items transcribing at once, 1-100 (default 10)' },
      'output-template': {
        type: 'string',
        value: '<tpl>',
        description: 'Output key template (default asr/{key}.{ext})',
      },
      'fail-fast': { type: 'boolean', description: 'Fail the whole batch when an item fails' },
      json,
      help,
    },
    notes: [`Example: ${CLI_NAME} batch podcasts/2026/ --max-in-flight 5 --wait`],
  },
  {
    path: ['upload'],
    args: '<file> [key]',
    positionals: { min: 1, max: 2 },
    summary: 'Upload a local media file to COS (or the local emulator); the key defaults to the file name',
    options: {
      bucket: recognition.bucket!,
      region: recognition.region!,
      'content-type': { type: 'string', value: '<type>', description: 'Content type (default: by file extension)' },
      json,
      help,
    },
    notes: [`Example: ${CLI_NAME} upload ./meeting.wav audio/meeting.wav`],
  },
  {
    path: ['status'],
    args: '<workflowId>',
    positionals: { min: 1, max: 1 },
    summary: 'Show the state of a transcribeMedia or transcribeBatch workflow (and failed batch items)',
    options: { json, help },
  },
  {
    path: ['doctor'],
    args: '',
    positionals: { min: 0, max: 0 },
    summary: 'Check the setup before a first job: keys, bucket, queue, callbacks, Temporal, worker',
    options: {
      queue: {
        type: 'string',
        value: '<queueId>',
        description: "CI queue to check (default CI_QUEUE_ID, else the bucket's)",
      },
      'callback-url': {
        type: 'string',
        value: '<url>',
        description: 'Callback base URL (default CALLBACK_PUBLIC_BASE_URL)',
      },
      'receiver-health': {
        type: 'string',
        value: '<url>',
        description: "Receiver's /healthz (default RECEIVER_HEALTH_URL)",
      },
      timeout: { type: 'string', value: '<seconds>', description: 'Time each check may take, 1-300 (default 15)' },
      json,
      help,
    },
    notes: [
      'Exit codes: 0 nothing failed (warnings allowed), 1 a check failed, 2 a setting is missing or malformed.',
      'Set up a real account step by step: docs/real-account.md.',
    ],
  },
  {
    path: ['jobs', 'list'],
    args: '',
    positionals: { min: 0, max: 0 },
    summary: 'List CI speech-recognition jobs (one page, or every page with --all)',
    options: {
      queue: { type: 'string', value: '<queueId>', description: 'Only jobs of this CI queue' },
      states: { type: 'string', value: '<s,s>', description: 'Submitted,Running,Success,Failed,Pause,Cancel or All' },
      since: { type: 'string', value: '<ISO time>', description: 'Jobs created at or after this time' },
      until: { type: 'string', value: '<ISO time>', description: 'Jobs created at or before this time' },
      order: { type: 'string', value: 'Asc|Desc', description: 'Creation-time order (default Desc)' },
      size: { type: 'string', value: '<n>', description: 'Page size, 1-100 (default 10; 100 with --all)' },
      'next-token': { type: 'string', value: '<token>', description: 'Page to show (NextToken of a previous list)' },
      all: { type: 'boolean', description: 'Walk every page' },
      json,
      help,
    },
  },
  {
    path: ['jobs', 'get'],
    args: '<jobId...>',
    positionals: { min: 1, max: 50 },
    summary: 'Show CI jobs by id (exit code 1 when any id is unknown)',
    options: { json, help },
  },
  ...SETUP_COMMANDS,
];

/** Environment variables the CLI reads (the same as the worker's). */
export const ENVIRONMENT_HELP: readonly string[] = [
  'TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*  Temporal connection (default localhost:7233)',
  'TEMPORAL_TASK_QUEUE  Task queue of the worker (default tencent-ci-asr)',
  'TENCENT_SECRET_ID, TENCENT_SECRET_KEY, TENCENT_SECURITY_TOKEN, CI_BUCKET, CI_REGION, CI_ENDPOINT',
  '    Tencent Cloud access, for `upload`, `jobs`, printing transcripts (--format) and checking media exists,',
  '    and for the CI setup commands `bucket`, `queues`, `templates` and `vocab`',
  'TRANSCRIBE_ASR_ENV_FILE  Settings file to read (default: the nearest .dev/cli.env, written by `npm run dev`)',
  '    Precedence: flags > environment > settings file.',
];

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
    'Exit codes: 0 success, 1 the work failed, 2 usage, configuration or media error (nothing started),',
    '            3 Temporal or Tencent Cloud unreachable or too slow, 130 interrupted (docs/cli.md).',
    '',
  ].join('\n');
}
