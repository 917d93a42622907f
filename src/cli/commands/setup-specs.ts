/**
 * Help and flags of the CI setup commands (`bucket`, `queues`, `templates`, `vocab`). Kept apart from help.ts, which
 * imports this list: nothing here may import values from help.ts (the import would be circular).
 */
import { CLI_NAME } from '../cli-name';
import type { CommandSpec, OptionSpec } from '../command-spec';

/** A string flag shown as `--name <value>`; `multiple` when it may be repeated. */
function text(value: string, description: string, multiple = false): OptionSpec {
  return { type: 'string', value, description, ...(multiple ? { multiple } : {}) };
}

/** A boolean flag. */
function flag(description: string): OptionSpec {
  return { type: 'boolean', description };
}

const common: Record<string, OptionSpec> = {
  bucket: text('<name-appid>', 'Bucket to manage (default: CI_BUCKET)'),
  region: text('<region>', 'Region of --bucket (default: CI_REGION)'),
  json: flag('Print machine-readable JSON on stdout'),
  help: flag('Show this help'),
};
const page = {
  page: text('<n>', 'Page number, from 1 (default 1)'),
  size: text('<n>', 'Page size, 1-100 (default 10)'),
};

/** `--engine`, `--channels` ...: the `SpeechRecognition` parameters of a template, as flags. */
const speech: Record<string, OptionSpec> = {
  engine: text('<model>', 'EngineModelType (default 16k_zh)'),
  channels: text('1|2', 'ChannelNum (default 1; 2 only with 8k_zh)'),
  'res-text-format': text('0-3', 'ResTextFormat: 0 text, 1-2 words, 3 subtitles'),
  'filter-dirty': text('0-2', 'FilterDirty: 0 keep, 1 remove, 2 replace with *'),
  'filter-modal': text('0-2', 'FilterModal: 0 keep, 1 partial, 2 strict'),
  'filter-punc': text('0-2', 'FilterPunc: 0 keep, 1 sentence ends, 2 all'),
  'convert-num-mode': text('0|1|3', 'ConvertNumMode: 0 words, 1 Arabic, 3 maths'),
  'speaker-diarization': flag('SpeakerDiarization 1 (8k_zh, 16k_zh, 16k_zh_video)'),
  'speaker-number': text('0-10', 'SpeakerNumber: 0 automatic'),
  'output-file-type': text('txt|srt', 'OutputFileType of the result object'),
  flash: flag('FlashAsr: flash recognition (needs --audio-format)'),
  'audio-format': text('<format>', 'Format of flash audio, e.g. wav, mp3'),
  'first-channel-only': text('0|1', 'FirstChannelOnly (flash)'),
  'word-info': text('0-2', 'WordInfo (flash)'),
  'sentence-max-length': text('<n>', 'SentenceMaxLength: 0 or 6-40'),
  'hot-vocab': text('<tableId>', 'HotVocabularyTableId (see `vocab create`)'),
};

/**
 * One command: `path` as words, `args` as shown in help (a `<required>` first argument makes one required), at most
 * `max` positionals, its own options before the common ones, and an example.
 */
function command(
  path: string,
  args: string,
  max: number,
  summary: string,
  options: Record<string, OptionSpec> = {},
  example?: string,
): CommandSpec {
  return {
    path: path.split(' '),
    args,
    positionals: { min: args.startsWith('<') ? 1 : 0, max },
    summary,
    options: { ...options, ...common },
    ...(example !== undefined ? { notes: [`Example: ${CLI_NAME} ${example}`] } : {}),
  };
}

const notify: Record<string, OptionSpec> = {
  url: text('<url>', 'Callback URL (http or https)'),
  event: text('<event>', 'TaskFinish (default) and/or WorkflowFinish; repeat or comma-separate', true),
  'result-format': text('XML|JSON', 'ResultFormat of the callback body'),
  'mq-name': text('<name>', 'Send to this TDMQ queue/topic instead of --url'),
  'mq-region': text('sh|bj|gz|cd|hk', 'TDMQ region (with --mq-name)'),
  'mq-mode': text('Queue|Topic', 'TDMQ mode (with --mq-name)'),
  off: flag('Turn the queue callback off'),
};

/** The setup commands, appended to the CLI's command list. */
export const SETUP_COMMANDS: readonly CommandSpec[] = [
  command('bucket bind', '', 0, 'Bind the bucket to CI speech recognition (once per bucket, before its first job)'),
  command(
    'bucket status',
    '',
    0,
    'Show whether the bucket is bound to speech recognition, its region and binding time',
  ),
  command(
    'queues list',
    '[queueId...]',
    50,
    "List the bucket's ASR queues: state, MaxConcurrent, callback (exit 1 when an id is unknown)",
    { state: text('Active|Paused|All', 'Only queues in this state (default All)'), ...page },
  ),
  command(
    'queues pause',
    '[queueId]',
    1,
    "Pause a queue (default: the bucket's ASR queue): new jobs wait in Pause, running ones finish",
  ),
  command('queues resume', '[queueId]', 1, 'Resume a paused queue: the jobs it holds start'),
  command(
    'queues notify',
    '[queueId]',
    1,
    "Set (--url) or clear (--off) the queue's callback, sent for jobs without their own CallBack",
    notify,
    'queues notify --url https://asr.example.com/ci/callback --result-format JSON',
  ),
  command('templates list', '', 0, 'List SpeechRecognition templates', {
    name: text('<prefix>', 'Only templates whose name starts so'),
    ids: text('<a,b,...>', 'Only these template ids'),
    category: text('Custom|Official', 'Template category (default Custom)'),
    ...page,
  }),
  command(
    'templates create',
    '[name]',
    1,
    'Create a SpeechRecognition template from flags or a JSON file; prints its id (for --template)',
    { ...speech, 'from-json': text('<file>', '{"Name", "SpeechRecognition": {...}} instead') },
    'templates create meetings --engine 16k_zh --speaker-diarization --res-text-format 3',
  ),
  command('templates delete', '<id>', 1, 'Delete a template; jobs naming it are refused afterwards'),
  command('vocab list', '', 0, 'List hot-word tables', {
    offset: text('<n>', 'Tables to skip (default 0)'),
    limit: text('<n>', 'Tables to show, 1-100 (default 10)'),
  }),
  command(
    'vocab create',
    '<name>',
    1,
    'Create a hot-word table; prints its id (for --hot-vocab)',
    {
      word: text(
        '<word|weight>',
        'A hot word and its weight (1-10, 11 super hot, 100 forced; default 10); repeat',
        true,
      ),
      'from-file': text('<file>', 'One word|weight per line (# comments)'),
      description: text('<text>', 'TableDescription'),
    },
    'vocab create product-names --word "腾讯云|10" --word "Temporal|11"',
  ),
  command('vocab delete', '<id>', 1, 'Delete a hot-word table (CI refuses while a template uses it)'),
];
