import { CiValidationError } from '../../ci/errors';
import type { HotVocabTable, HotVocabTableRequest, HotVocabWord, ListHotVocabTablesFilter } from '../../ci/setup';
import { validateHotVocab } from '../../ci/setup/validate';
import type { Flags } from '../args';
import type { CliContext } from '../context';
import { CLI_NAME } from '../help';
import { formatFields, formatTable, writeJson } from '../output';
import { PreflightError } from '../preflight';
import type { DeleteCommand, SetupCommandBase } from './setup-common';
import { checkedBy, parseDelete, readLocalText, runDelete, setupBase, setupClient } from './setup-common';

/** Weight of a word given without one: the highest ordinary weight. */
const DEFAULT_WEIGHT = 10;

/** A checked `vocab list` command line. */
export interface VocabListCommand extends SetupCommandBase {
  kind: 'vocab-list';
  filter: ListHotVocabTablesFilter;
}

/** A checked `vocab create`: the table from flags, plus the words of `--from-file` when given. */
export interface VocabCreateCommand extends SetupCommandBase {
  kind: 'vocab-create';
  request: HotVocabTableRequest;
  file?: string;
}

/** A checked `vocab delete <id>`. */
export type VocabDeleteCommand = DeleteCommand<'vocab-delete'>;

/**
 * One `word|weight` (the weight after the last `|`; none means {@link DEFAULT_WEIGHT}). Returns a message for a
 * malformed entry; the weight's allowed values are the client's validation.
 */
export function parseWord(entry: string): HotVocabWord | string {
  const bar = entry.lastIndexOf('|');
  const word = (bar < 0 ? entry : entry.slice(0, bar)).trim();
  const weight = bar < 0 ? String(DEFAULT_WEIGHT) : entry.slice(bar + 1).trim();
  if (word === '') return `'${entry}' has no word before the '|'`;
  if (!/^\d+$/.test(weight)) return `'${entry}': the weight must be a whole number (1-10, 11 or 100)`;
  return { Vocabulary: word, Weight: Number(weight) };
}

/** The words of a `--from-file` text: one `word|weight` per line; blank lines and `#` comments are skipped. */
export function wordsFromText(text: string): { words: HotVocabWord[]; problems: string[] } {
  const words: HotVocabWord[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const entry = line.trim();
    if (entry === '' || entry.startsWith('#')) return;
    const parsed = parseWord(entry);
    if (typeof parsed === 'string') problems.push(`line ${i + 1}: ${parsed}`);
    else words.push(parsed);
  });
  return { words, problems };
}

/** Parses `vocab list`. */
export function parseVocabList(flags: Flags): VocabListCommand {
  const filter = { offset: flags.integer('offset', 0, 1_000_000), limit: flags.integer('limit', 1, 100) };
  const defined = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
  return { kind: 'vocab-list', filter: defined, ...setupBase(flags) };
}

/** Parses `vocab create <name>`: `--word`s are checked here; `--from-file` is read when it runs. */
export function parseVocabCreate(name: string, flags: Flags): VocabCreateCommand {
  const words = flags.strings('word').map((entry) => {
    const parsed = parseWord(entry);
    if (typeof parsed === 'string') throw flags.error(`--word ${parsed}.`);
    return parsed;
  });
  const file = flags.string('from-file');
  if (words.length === 0 && file === undefined)
    throw flags.error('Give the words with --word <word|weight> or --from-file.');
  const description = flags.string('description');
  const request = {
    TableName: name,
    VocabularyWeights: words,
    ...(description ? { TableDescription: description } : {}),
  };
  if (file === undefined) checkedBy(flags, 'hot-word table', () => validateHotVocab(request));
  return { kind: 'vocab-create', request, ...(file !== undefined ? { file } : {}), ...setupBase(flags) };
}

/** Parses `vocab delete <tableId>`. */
export function parseVocabDelete(id: string, flags: Flags): VocabDeleteCommand {
  return parseDelete('vocab-delete', id, flags, 'tableId');
}

/** The request with the file's words added, checked with the client's rules; problems are a `PreflightError`. */
async function withFileWords(cmd: VocabCreateCommand): Promise<HotVocabTableRequest> {
  if (cmd.file === undefined) return cmd.request;
  const { words, problems } = wordsFromText(await readLocalText(cmd.file, '--from-file'));
  const request = { ...cmd.request, VocabularyWeights: [...cmd.request.VocabularyWeights, ...words] };
  try {
    validateHotVocab(request);
  } catch (err) {
    if (!(err instanceof CiValidationError)) throw err;
    problems.push(...err.issues.map((i) => `${i.path} ${i.message}`));
  }
  if (problems.length === 0) return request;
  const list = problems.map((p) => `  - ${p}`).join('\n');
  throw new PreflightError(`--from-file ${cmd.file} is not a valid word list:\n${list}\nNothing was sent.`);
}

function words(table: HotVocabTable): string {
  return table.words.map((w) => `${w.Vocabulary}|${w.Weight}`).join(' ');
}

/** `vocab list`: a table of id, name, word count and words. */
export async function runVocabList(cmd: VocabListCommand, ctx: CliContext): Promise<number> {
  const page = await setupClient(ctx, cmd.target).listHotVocabTables(cmd.filter);
  if (cmd.json) writeJson(ctx.stdout, page);
  else if (page.tables.length === 0) ctx.stdout.write('No hot-word tables.\n');
  else {
    const rows = page.tables.map((t) => [t.tableId, t.tableName ?? '', String(t.words.length), words(t)]);
    ctx.stdout.write(formatTable(['TABLE ID', 'NAME', 'WORDS', 'WORD|WEIGHT'], rows));
    const shown = (cmd.filter.offset ?? 0) + page.tables.length;
    if (page.totalCount > shown) ctx.stdout.write(`\n${page.totalCount} tables in all: see --offset ${shown}\n`);
  }
  return 0;
}

/** `vocab create`: creates the table and prints its id. */
export async function runVocabCreate(cmd: VocabCreateCommand, ctx: CliContext): Promise<number> {
  const request = await withFileWords(cmd);
  const tableId = await setupClient(ctx, cmd.target).createHotVocabTable(request);
  if (cmd.json) {
    writeJson(ctx.stdout, { tableId, tableName: request.TableName, words: request.VocabularyWeights });
    return 0;
  }
  ctx.stdout.write(
    formatFields([
      ['Created hot-word table', tableId],
      ['Name', request.TableName],
      ['Words', request.VocabularyWeights.length],
    ]),
  );
  ctx.stderr.write(`Use it with: ${CLI_NAME} templates create <name> --hot-vocab ${tableId}\n`);
  return 0;
}

/** `vocab delete`: CI refuses an unknown id or a table a template uses (`CiError`, exit 1). */
export async function runVocabDelete(cmd: VocabDeleteCommand, ctx: CliContext): Promise<number> {
  return runDelete(cmd, ctx, 'hot-word table', (client, id) => client.deleteHotVocabTable(id));
}
