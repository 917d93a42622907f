import { CiValidationError } from '../../ci/errors';
import type { AsrTemplate, AsrTemplateRequest, ListAsrTemplatesFilter } from '../../ci/setup';
import { validateTemplate } from '../../ci/setup/validate';
import type { Flags } from '../args';
import type { CliContext } from '../context';
import { CLI_NAME } from '../help';
import { formatFields, formatTable, writeJson } from '../output';
import { PreflightError } from '../preflight';
import type { DeleteCommand, SetupCommandBase } from './setup-common';
import { checkedBy, idArgument, parseDelete, readLocalText, runDelete, setupBase, setupClient } from './setup-common';
import { hasSpeechFlags, speechFromFlags, templateFromJson } from './template-params';

/** A checked `templates list` command line. */
export interface TemplatesListCommand extends SetupCommandBase {
  kind: 'templates-list';
  filter: ListAsrTemplatesFilter;
}

/** A checked `templates create`: the body from flags, or the JSON file to read it from. */
export interface TemplatesCreateCommand extends SetupCommandBase {
  kind: 'templates-create';
  source: { request: AsrTemplateRequest } | { file: string; name?: string };
}

/** A checked `templates delete <id>`. */
export type TemplatesDeleteCommand = DeleteCommand<'templates-delete'>;

/** Parses `templates list`. */
export function parseTemplatesList(flags: Flags): TemplatesListCommand {
  const ids = flags.list('ids');
  ids?.forEach((id) => idArgument(flags, id, 'templateId'));
  const filter: ListAsrTemplatesFilter = {
    ids,
    name: flags.string('name'),
    category: flags.choice('category', ['Custom', 'Official'] as const),
    pageNumber: flags.integer('page', 1, 1_000_000),
    pageSize: flags.integer('size', 1, 100),
  };
  const defined = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
  return { kind: 'templates-list', filter: defined, ...setupBase(flags) };
}

/** Parses `templates create [name]`: flags are checked here with the client's rules; a file is read when it runs. */
export function parseTemplatesCreate(name: string | undefined, flags: Flags): TemplatesCreateCommand {
  const file = flags.string('from-json');
  const base = setupBase(flags);
  if (file !== undefined) {
    if (hasSpeechFlags(flags)) throw flags.error('--from-json holds the parameters: drop the other template flags.');
    return { kind: 'templates-create', source: { file, ...(name !== undefined ? { name } : {}) }, ...base };
  }
  if (name === undefined) throw flags.error("'templates create' needs a name (or --from-json with a Name).");
  const request: AsrTemplateRequest = { Name: name, SpeechRecognition: speechFromFlags(flags) };
  checkedBy(flags, 'template', () => validateTemplate(request));
  return { kind: 'templates-create', source: { request }, ...base };
}

/** Parses `templates delete <templateId>`. */
export function parseTemplatesDelete(id: string, flags: Flags): TemplatesDeleteCommand {
  return parseDelete('templates-delete', id, flags, 'templateId');
}

/** The body of a `--from-json` file, checked with the client's rules; every problem is a `PreflightError` (exit 2). */
async function requestFromFile(file: string, name: string | undefined): Promise<AsrTemplateRequest> {
  const text = await readLocalText(file, '--from-json');
  try {
    const request = templateFromJson(text, name);
    validateTemplate(request);
    return request;
  } catch (err) {
    const detail =
      err instanceof CiValidationError ? `\n${err.issues.map((i) => `  - ${i.path} ${i.message}`).join('\n')}` : '';
    const message = err instanceof CiValidationError ? 'is not a valid template:' : (err as Error).message;
    throw new PreflightError(`--from-json ${file} ${message}${detail}\nNothing was sent.`, { cause: err });
  }
}

function engineOf(t: AsrTemplate): string {
  return t.speechRecognition.EngineModelType ?? '';
}

/** `templates list`: a table of id, name, engine, channels and creation time. */
export async function runTemplatesList(cmd: TemplatesListCommand, ctx: CliContext): Promise<number> {
  const page = await setupClient(ctx, cmd.target).listTemplates(cmd.filter);
  if (cmd.json) writeJson(ctx.stdout, page);
  else if (page.templates.length === 0) ctx.stdout.write('No templates.\n');
  else {
    const rows = page.templates.map((t) => [
      t.templateId,
      t.name,
      engineOf(t),
      t.speechRecognition.ChannelNum ?? '',
      t.createTime ?? '',
    ]);
    ctx.stdout.write(formatTable(['TEMPLATE ID', 'NAME', 'ENGINE', 'CHANNELS', 'CREATED'], rows));
    if (page.totalCount > page.pageNumber * page.pageSize) {
      ctx.stdout.write(`\n${page.totalCount} templates in all: see --page ${page.pageNumber + 1}\n`);
    }
  }
  return 0;
}

/** `templates create`: creates the template and prints its id and parameters as CI echoes them. */
export async function runTemplatesCreate(cmd: TemplatesCreateCommand, ctx: CliContext): Promise<number> {
  const request =
    'request' in cmd.source ? cmd.source.request : await requestFromFile(cmd.source.file, cmd.source.name);
  const template = await setupClient(ctx, cmd.target).createTemplate(request);
  if (cmd.json) {
    writeJson(ctx.stdout, { template });
    return 0;
  }
  const params = Object.entries(template.speechRecognition).map(([k, v]) => `${k}=${v}`);
  ctx.stdout.write(
    formatFields([
      ['Created template', template.templateId],
      ['Name', template.name],
      ['Parameters', params.join(' ')],
    ]),
  );
  ctx.stderr.write(`Use it with: ${CLI_NAME} transcribe <object> --template ${template.templateId}\n`);
  return 0;
}

/** `templates delete`: CI refuses an unknown id (`CiError`, exit 1). */
export async function runTemplatesDelete(cmd: TemplatesDeleteCommand, ctx: CliContext): Promise<number> {
  return runDelete(cmd, ctx, 'template', (client, id) => client.deleteTemplate(id));
}
