/** The CI setup commands as one unit for run.ts: their command lines, their parser and their runners. */
import type { Flags } from '../args';
import type { CliContext } from '../context';
import type { BucketCommand } from './bucket';
import { parseBucket, runBucketBind, runBucketStatus } from './bucket';
import type { QueuesListCommand, QueuesUpdateCommand } from './queues';
import { parseQueuesList, parseQueuesUpdate, runQueuesList, runQueuesUpdate } from './queues';
import type { TemplatesCreateCommand, TemplatesDeleteCommand, TemplatesListCommand } from './templates';
import { parseTemplatesCreate, parseTemplatesDelete, parseTemplatesList } from './templates';
import { runTemplatesCreate, runTemplatesDelete, runTemplatesList } from './templates';
import type { VocabCreateCommand, VocabDeleteCommand, VocabListCommand } from './vocab';
import {
  parseVocabCreate,
  parseVocabDelete,
  parseVocabList,
  runVocabCreate,
  runVocabDelete,
  runVocabList,
} from './vocab';

/** A checked setup command line. */
export type SetupCommand =
  | BucketCommand<'bucket-bind'>
  | BucketCommand<'bucket-status'>
  | QueuesListCommand
  | QueuesUpdateCommand
  | TemplatesListCommand
  | TemplatesCreateCommand
  | TemplatesDeleteCommand
  | VocabListCommand
  | VocabCreateCommand
  | VocabDeleteCommand;

type Parser = (positionals: readonly string[], flags: Flags) => SetupCommand;

const PARSERS: Readonly<Record<string, Parser>> = {
  'bucket bind': (_, flags) => parseBucket('bucket-bind', flags),
  'bucket status': (_, flags) => parseBucket('bucket-status', flags),
  'queues list': parseQueuesList,
  'queues pause': ([id], flags) => parseQueuesUpdate('pause', id, flags),
  'queues resume': ([id], flags) => parseQueuesUpdate('resume', id, flags),
  'queues notify': ([id], flags) => parseQueuesUpdate('notify', id, flags),
  'templates list': (_, flags) => parseTemplatesList(flags),
  'templates create': ([name], flags) => parseTemplatesCreate(name, flags),
  'templates delete': ([id], flags) => parseTemplatesDelete(id!, flags),
  'vocab list': (_, flags) => parseVocabList(flags),
  'vocab create': ([name], flags) => parseVocabCreate(name!, flags),
  'vocab delete': ([id], flags) => parseVocabDelete(id!, flags),
};

/** Parses the command line of a setup command (`name` such as `queues pause`); undefined for other commands. */
export function parseSetupCommand(
  name: string,
  positionals: readonly string[],
  flags: Flags,
): SetupCommand | undefined {
  return PARSERS[name]?.(positionals, flags);
}

/** The runner of each setup command kind (spread into the CLI's runner table). */
export const SETUP_RUNNERS: {
  [K in SetupCommand['kind']]: (cmd: Extract<SetupCommand, { kind: K }>, ctx: CliContext) => Promise<number>;
} = {
  'bucket-bind': runBucketBind,
  'bucket-status': runBucketStatus,
  'queues-list': runQueuesList,
  'queues-update': runQueuesUpdate,
  'templates-list': runTemplatesList,
  'templates-create': runTemplatesCreate,
  'templates-delete': runTemplatesDelete,
  'vocab-list': runVocabList,
  'vocab-create': runVocabCreate,
  'vocab-delete': runVocabDelete,
};
