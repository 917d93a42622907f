import { formatCiTime } from '../ci-time';
import { ApiError, checkCiName, invalidArgument, templateNotFound } from '../errors';
import type { ApiResponse } from '../http-util';
import type { RequestTarget } from '../request-target';
import { validateSpeechParams } from '../speech-params';
import { parseRequestBody } from '../submit-request';
import type { XmlObject } from '../xml';
import { childObject, childText } from '../xml';
import { SetupState } from './state';
import { commaList, page, paging, xmlResponse } from './wire';
import type { SetupRequest } from './wire';

/** Template names: "模板名称,仅支持中文、英文、数字、_、-和*,长度不超过64" (460/84498; further difference 5). */
const MAX_NAME = 64;

function templateXml(state: SetupState, id: string, bucket: string): XmlObject {
  const template = state.templates[id]!;
  const meta = state.templateMeta.get(id);
  return {
    TemplateId: id,
    Name: template.name,
    // Every documented template answer carries `<State>Normal</State>` (436/78950; further difference 4).
    State: 'Normal',
    Tag: 'SpeechRecognition',
    CreateTime: formatCiTime(meta?.createMs ?? 0),
    UpdateTime: formatCiTime(meta?.updateMs ?? 0),
    BucketId: meta?.bucket ?? bucket,
    Category: 'Custom',
    SpeechRecognition: template.speechRecognition,
  };
}

/** Checks that a referenced hot-word table exists in the bucket. */
export function checkHotVocab(state: SetupState, bucket: string, params: Record<string, string>): void {
  const id = params.HotVocabularyTableId;
  if (id === undefined || id === '') return;
  if (state.vocab.get(id)?.bucket !== bucket) {
    throw invalidArgument(`SpeechRecognition.HotVocabularyTableId "${id}" does not exist.`);
  }
}

function parseTemplateBody(state: SetupState, target: RequestTarget, body: Buffer, self?: string) {
  const request = parseRequestBody(body.toString('utf8'));
  if (childText(request, 'Tag') !== 'SpeechRecognition') throw invalidArgument('Tag must be SpeechRecognition.');
  const name = childText(request, 'Name');
  if (!name) throw invalidArgument('Name is required.');
  checkCiName('Name', name, MAX_NAME);
  // CI error code 1112 (further difference 5): another template of the bucket already has this name.
  const clash = Object.keys(state.templates).find(
    (id) => id !== self && owned(state, target.bucket, id) && state.templates[id]!.name === name,
  );
  if (clash) throw new ApiError(400, 'TemplateNameDuplicate', `Template name "${name}" is used by ${clash}.`);
  const sr = childObject(request, 'SpeechRecognition');
  if (!sr) throw invalidArgument('SpeechRecognition is required.');
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(sr)) {
    if (typeof value !== 'string') throw invalidArgument(`SpeechRecognition.${key} must be a single text element.`);
    raw[key] = value;
  }
  const params = validateSpeechParams(raw);
  checkHotVocab(state, target.bucket, params);
  return { name, params };
}

function owned(state: SetupState, bucket: string, id: string): boolean {
  const meta = state.templateMeta.get(id);
  return state.templates[id] !== undefined && (meta?.bucket === undefined || meta.bucket === bucket);
}

/** Template routes: `POST /template`, `GET /template`, `PUT /template/<id>`, `DELETE /template/<id>`. */
export function handleTemplate(state: SetupState, { method, target, id, body }: SetupRequest): ApiResponse {
  const bucket = target.bucket;
  if (method === 'GET') return listTemplates(state, target);
  if (method === 'POST') {
    const { name, params } = parseTemplateBody(state, target, body);
    const newId = SetupState.newId('t1');
    const now = Date.now();
    state.templates[newId] = { name, speechRecognition: params };
    state.templateMeta.set(newId, { bucket, createMs: now, updateMs: now });
    return xmlResponse(target, { Template: templateXml(state, newId, bucket) });
  }
  if (id === undefined || !owned(state, bucket, id)) throw templateNotFound(id ?? '');
  if (method === 'DELETE') {
    delete state.templates[id];
    state.templateMeta.delete(id);
    return xmlResponse(target, { TemplateId: id });
  }
  const { name, params } = parseTemplateBody(state, target, body, id);
  state.templates[id] = { name, speechRecognition: params };
  const meta = state.templateMeta.get(id);
  state.templateMeta.set(id, { bucket: meta?.bucket, createMs: meta?.createMs ?? Date.now(), updateMs: Date.now() });
  // The documented PUT /template sample (436/78950) starts `<Response><Template>`, without RequestId (row 4).
  return xmlResponse(undefined, { Template: templateXml(state, id, bucket) });
}

function listTemplates(state: SetupState, target: RequestTarget): ApiResponse {
  const query = new Map(target.query);
  const category = query.get('category') || 'Custom';
  if (category !== 'Custom' && category !== 'Official') throw invalidArgument('category must be Custom or Official.');
  const tag = query.get('tag');
  if (tag !== undefined && tag !== '' && tag !== 'SpeechRecognition') {
    throw invalidArgument(`tag "${tag}" is not served by the emulator; use SpeechRecognition.`);
  }
  const ids = commaList(query.get('ids'));
  const prefix = query.get('name') ?? '';
  // The emulator has no official (system) ASR templates.
  const matching =
    category === 'Official'
      ? []
      : Object.keys(state.templates)
          .filter((id) => owned(state, target.bucket, id))
          .filter((id) => (ids === undefined || ids.includes(id)) && state.templates[id]!.name.startsWith(prefix))
          .sort((a, b) => (state.templateMeta.get(a)?.createMs ?? 0) - (state.templateMeta.get(b)?.createMs ?? 0));
  const { slice, fields } = page(matching, paging(query));
  const list = slice.map((id) => templateXml(state, id, target.bucket));
  return xmlResponse(target, { ...fields, ...(list.length > 0 ? { TemplateList: list } : {}) });
}
