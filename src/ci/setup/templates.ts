import type { CiCallOptions } from '../types';
import { parseTemplate, parseTemplatePage } from './parse';
import type { SetupTransport } from './transport';
import type { AsrTemplate, AsrTemplatePage, AsrTemplateRequest, ListAsrTemplatesFilter } from './types';
import { checkPaging, joined, validate, validateId, validateIds, validateTemplate, withoutUndefined } from './validate';
import { templateXml } from './xml-body';

/** `POST /template` with `Tag` SpeechRecognition. */
export async function createTemplate(
  t: SetupTransport,
  req: AsrTemplateRequest,
  o: CiCallOptions,
): Promise<AsrTemplate> {
  validateTemplate(req);
  const call = {
    action: 'createTemplate',
    method: 'POST',
    path: 'template',
    target: t.where(),
    body: templateXml(req),
  } as const;
  return t.request(call, o, parseTemplate);
}

/** `GET /template?tag=SpeechRecognition&category&ids&name&pageNumber&pageSize`. */
export async function listTemplates(
  t: SetupTransport,
  f: ListAsrTemplatesFilter,
  o: CiCallOptions,
): Promise<AsrTemplatePage> {
  validate('ASR template filter', (out) => {
    checkPaging(out, f);
    validateIds(f.ids, 'ids', out);
    out.oneOf(f.category, ['Custom', 'Official'], 'category');
    out.optionalString(f.name, 'name');
  });
  const query = withoutUndefined({
    tag: 'SpeechRecognition',
    category: f.category,
    ids: joined(f.ids),
    name: f.name,
    pageNumber: f.pageNumber,
    pageSize: f.pageSize,
  });
  return t.request(
    { action: 'listTemplates', method: 'GET', path: 'template', target: t.where(), query },
    o,
    parseTemplatePage,
  );
}

/** `PUT /template/<id>` with the whole template. */
export async function updateTemplate(
  t: SetupTransport,
  id: string,
  req: AsrTemplateRequest,
  o: CiCallOptions,
): Promise<AsrTemplate> {
  validateId(id, 'templateId');
  validateTemplate(req);
  const target = `${id} in ${t.where()}`;
  const call = {
    action: 'updateTemplate',
    method: 'PUT',
    path: `template/${id}`,
    target,
    body: templateXml(req),
  } as const;
  return t.request(call, o, parseTemplate);
}

/** `DELETE /template/<id>`. */
export async function deleteTemplate(t: SetupTransport, id: string, o: CiCallOptions): Promise<void> {
  validateId(id, 'templateId');
  await t.send(
    { action: 'deleteTemplate', method: 'DELETE', path: `template/${id}`, target: `${id} in ${t.where()}` },
    o,
  );
}
