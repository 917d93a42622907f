/**
 * Help and flags of the CI setup commands (`bucket`, `queues`, `templates`, `vocab`). Kept apart from help.ts, which
 * imports this list: nothing here may import values from help.ts (the import would be circular).
 */
import type { CommandSpec, OptionSpec } from '../help';

const json: OptionSpec = { type: 'boolean', description: 'Print machine-readable JSON on stdout' };
const help: OptionSpec = { type: 'boolean', description: 'Show this help' };
const target: Record<string, OptionSpec> = {
  bucket: { type: 'string', value: '<name-appid>', description: 'Bucket to manage (default: CI_BUCKET)' },
  region: { type: 'string', value: '<region>', description: 'Region of --bucket (default: CI_REGION)' },
};
const page: Record<string, OptionSpec> = {
  page: { type: 'string', value: '<n>', description: 'Page number, from 1 (default 1)' },
  size: { type: 'string', value: '<n>', description: 'Page size, 1-100 (default 10)' },
};
const common = { ...target, json, help };

/** `--engine`, `--channels` ...: the `SpeechRecognition` parameters of a template, as flags. */
const speech: Record<string, OptionSpec> = {
  engine: { type: 'string', value: '<model>', description: 'EngineModelType (default 16k_zh)' },
  channels: { type: 'string', value: '1|2', description: 'ChannelNum (default 1; 2 only with 8k_zh)' },
  'res-text-format': { type: 'string', value: '0-3', description: 'ResTextFormat: 0 text, 1-2 words, 3 subtitles' },
  'filter-dirty': { type: 'string', value: '0-2', description: 'FilterDirty: 0 keep, 1 remove, 2 replace with *' },
  'filter-modal': { type: 'string', value: '0-2', description: 'FilterModal: 0 keep, 1 partial, 2 strict' },
  'filter-punc': { type: 'string', value: '0-2', description: 'FilterPunc: 0 keep, 1 sentence ends, 2 all' },
  'convert-num-mode': { type: 'string', value: '0|1|3', description: 'ConvertNumMode: 0 words, 1 Arabic, 3 maths' },
  'speaker-diarization': { type: 'boolean', description: 'SpeakerDiarization 1 (8k_zh, 16k_zh, 16k_zh_video)' },
  'speaker-number': { type: 'string', value: '0-10', description: 'SpeakerNumber: 0 automatic' },
  'output-file-type': { type: 'string', value: 'txt|srt', description: 'OutputFileType of the result object' },
  flash: { type: 'boolean', description: 'FlashAsr: flash recognition (needs --audio-format)' },
  'audio-format': { type: 'string', value: '<format>', description: 'Format of flash audio, e.g. wav, mp3' },
  'first-channel-only': { type: 'string', value: '0|1', description: 'FirstChannelOnly (flash)' },
  'word-info': { type: 'string', value: '0-2', description: 'WordInfo (flash)' },
  'sentence-max-length': { type: 'string', value: '<n>', description: 'SentenceMaxLength: 0 or 6-40' },
  'hot-vocab': { type: 'string', value: '<tableId>', description: 'HotVocabularyTableId (see `vocab create`)' },
};

/** The setup commands, appended to the CLI's command list. */
export const SETUP_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['bucket', 'bind'],
    args: '',
    positionals: { min: 0, max: 0 },
    summary: 'Bind the bucket to CI speech recognition (once per bucket, before its first job)',
    options: common,
  },
  {
    path: ['bucket', 'status'],
    args: '',
    positionals: { min: 0, max: 0 },
    summary: 'Show whether the bucket is bound to speech recognition, its region and binding time',
    options: common,
  },
  {
    path: ['queues', 'list'],
    args: '[queueId...]',
    positionals: { min: 0, max: 50 },
    summary: "List the bucket's ASR queues: state, MaxConcurrent, callback (exit 1 when an id is unknown)",
    options: {
      state: { type: 'string', value: 'Active|Paused|All', description: 'Only queues in this state (default All)' },
      ...page,
      ...common,
    },
  },
  {
    path: ['queues', 'pause'],
    args: '[queueId]',
    positionals: { min: 0, max: 1 },
    summary: "Pause a queue (default: the bucket's ASR queue): new jobs wait in Pause, running ones finish",
    options: common,
  },
  {
    path: ['queues', 'resume'],
    args: '[queueId]',
    positionals: { min: 0, max: 1 },
    summary: 'Resume a paused queue: the jobs it holds start',
    options: common,
  },
  {
    path: ['queues', 'notify'],
    args: '[queueId]',
    positionals: { min: 0, max: 1 },
    summary: "Set (--url) or clear (--off) the queue's callback, sent for jobs without their own CallBack",
    options: {
      url: { type: 'string', value: '<url>', description: 'Callback URL (http or https)' },
      event: {
        type: 'string',
        value: '<event>',
        multiple: true,
        description: 'TaskFinish (default) and/or WorkflowFinish; repeat or comma-separate',
      },
      'result-format': { type: 'string', value: 'XML|JSON', description: 'ResultFormat of the callback body' },
      'mq-name': { type: 'string', value: '<name>', description: 'Send to this TDMQ queue/topic instead of --url' },
      'mq-region': { type: 'string', value: 'sh|bj|gz|cd|hk', description: 'TDMQ region (with --mq-name)' },
      'mq-mode': { type: 'string', value: 'Queue|Topic', description: 'TDMQ mode (with --mq-name)' },
      off: { type: 'boolean', description: 'Turn the queue callback off' },
      ...common,
    },
    notes: ['Example: transcribe-asr queues notify --url https://asr.example.com/ci/callback --result-format JSON'],
  },
  {
    path: ['templates', 'list'],
    args: '',
    positionals: { min: 0, max: 0 },
    summary: 'List SpeechRecognition templates',
    options: {
      name: { type: 'string', value: '<prefix>', description: 'Only templates whose name starts so' },
      ids: { type: 'string', value: '<a,b,...>', description: 'Only these template ids' },
      category: { type: 'string', value: 'Custom|Official', description: 'Template category (default Custom)' },
      ...page,
      ...common,
    },
  },
  {
    path: ['templates', 'create'],
    args: '[name]',
    positionals: { min: 0, max: 1 },
    summary: 'Create a SpeechRecognition template from flags or a JSON file; prints its id (for --template)',
    options: {
      ...speech,
      'from-json': { type: 'string', value: '<file>', description: '{"Name", "SpeechRecognition": {...}} instead' },
      ...common,
    },
    notes: [
      'Example: transcribe-asr templates create meetings --engine 16k_zh --speaker-diarization --res-text-format 3',
    ],
  },
  {
    path: ['templates', 'delete'],
    args: '<templateId>',
    positionals: { min: 1, max: 1 },
    summary: 'Delete a template; jobs naming it are refused afterwards',
    options: common,
  },
  {
    path: ['vocab', 'list'],
    args: '',
    positionals: { min: 0, max: 0 },
    summary: 'List hot-word tables',
    options: {
      offset: { type: 'string', value: '<n>', description: 'Tables to skip (default 0)' },
      limit: { type: 'string', value: '<n>', description: 'Tables to show, 1-100 (default 10)' },
      ...common,
    },
  },
  {
    path: ['vocab', 'create'],
    args: '<name>',
    positionals: { min: 1, max: 1 },
    summary: 'Create a hot-word table; prints its id (for --hot-vocab)',
    options: {
      word: {
        type: 'string',
        value: '<word|weight>',
        multiple: true,
        description: 'A hot word and its weight (1-10, 11 super hot, 100 forced; default 10); repeat',
      },
      'from-file': { type: 'string', value: '<file>', description: 'One word|weight per line (# comments)' },
      description: { type: 'string', value: '<text>', description: 'TableDescription' },
      ...common,
    },
    notes: ['Example: transcribe-asr vocab create product-names --word "腾讯云|10" --word "Temporal|11"'],
  },
  {
    path: ['vocab', 'delete'],
    args: '<tableId>',
    positionals: { min: 1, max: 1 },
    summary: 'Delete a hot-word table (CI refuses while a template uses it)',
    options: common,
  },
];
