import { formatCiTime } from '../ci-time';
import { invalidArgument, resourceNotFound } from '../errors';
import type { ApiResponse } from '../http-util';
import type { RequestTarget } from '../request-target';
import { parseRequestBody } from '../submit-request';
import type { XmlObject } from '../xml';
import { childText } from '../xml';
import type { HotVocabTable } from './state';
import { SetupState } from './state';
import { children, xmlResponse } from './wire';
import type { SetupRequest } from './wire';

/** Weights Tencent ASR hot-word tables accept: 1-10, 11 (super hot) and 100 (forced); assumed for CI. */
const WEIGHT = /^(?:[1-9]|10|11|100)$/;
/** Hot words per table (Tencent ASR's limit, assumed for CI). */
const MAX_WORDS = 1000;

function tableXml(t: HotVocabTable): XmlObject {
  return {
    TableId: t.tableId,
    TableName: t.name,
    TableDescription: t.description,
    VocabularyWeights: t.weights.map((w) => ({ Vocabulary: w.vocabulary, Weight: String(w.weight) })),
    VocabularyWeightStr: t.weights.map((w) => `${w.vocabulary}|${w.weight}`).join(','),
    CreateTime: formatCiTime(t.createMs),
    UpdateTime: formatCiTime(t.updateMs),
  };
}

function parseWeights(request: XmlObject): HotVocabTable['weights'] {
  const fromList = children(request, 'VocabularyWeights').map((node) => ({
    vocabulary: childText(node, 'Vocabulary') ?? '',
    weight: childText(node, 'Weight') ?? '',
  }));
  const str = childText(request, 'VocabularyWeightStr') ?? '';
  const fromStr = str
    .split(',')
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const bar = part.lastIndexOf('|');
      return bar < 0
        ? { vocabulary: part, weight: '' }
        : { vocabulary: part.slice(0, bar), weight: part.slice(bar + 1) };
    });
  if (fromList.length > 0 && fromStr.length > 0) {
    throw invalidArgument('Give either VocabularyWeights or VocabularyWeightStr, not both.');
  }
  const all = fromList.length > 0 ? fromList : fromStr;
  if (all.length === 0) throw invalidArgument('VocabularyWeights or VocabularyWeightStr is required.');
  if (all.length > MAX_WORDS) throw invalidArgument(`A table holds at most ${MAX_WORDS} hot words.`);
  return all.map(({ vocabulary, weight }) => {
    if (vocabulary.trim() === '') throw invalidArgument('Vocabulary must not be empty.');
    if (!WEIGHT.test(weight)) throw invalidArgument(`Weight of "${vocabulary}" must be 1-11 or 100; got "${weight}".`);
    return { vocabulary, weight: Number(weight) };
  });
}

function parseTable(body: Buffer) {
  const request = parseRequestBody(body.toString('utf8'));
  const name = childText(request, 'TableName');
  if (!name) throw invalidArgument('TableName is required.');
  return {
    tableId: childText(request, 'TableId'),
    name,
    description: childText(request, 'TableDescription') ?? '',
    weights: parseWeights(request),
  };
}

function find(state: SetupState, bucket: string, id: string | undefined): HotVocabTable {
  const table = id === undefined ? undefined : state.vocab.get(id);
  if (!table || table.bucket !== bucket) throw resourceNotFound(`Hot-word table ${id ?? ''} does not exist.`);
  return table;
}

/** Hot-word table routes on `/asrhotvocabtable` (create, update by body `TableId`, get, list, delete). */
export function handleVocab(state: SetupState, { method, target, id, body }: SetupRequest): ApiResponse {
  const bucket = target.bucket;
  if (method === 'POST') {
    const parsed = parseTable(body);
    const now = Date.now();
    const table = { ...parsed, tableId: SetupState.newId(''), bucket, createMs: now, updateMs: now };
    state.vocab.set(table.tableId, table);
    return xmlResponse(target, { TableId: table.tableId });
  }
  if (method === 'PUT') {
    const parsed = parseTable(body);
    const table = find(state, bucket, parsed.tableId || undefined);
    Object.assign(table, { name: parsed.name, description: parsed.description, weights: parsed.weights });
    table.updateMs = Date.now();
    return xmlResponse(target, { TableId: table.tableId });
  }
  if (method === 'DELETE') {
    const table = find(state, bucket, id);
    const inUse = Object.entries(state.templates).find(
      ([, t]) => t.speechRecognition.HotVocabularyTableId === table.tableId,
    );
    if (inUse) throw invalidArgument(`Hot-word table ${table.tableId} is used by template ${inUse[0]}.`);
    state.vocab.delete(table.tableId);
    return { status: 200 };
  }
  if (id !== undefined) return xmlResponse(target, tableXml(find(state, bucket, id)));
  return listTables(state, target);
}

function listTables(state: SetupState, target: RequestTarget): ApiResponse {
  const query = new Map(target.query);
  const read = (name: string, fallback: number): number => {
    const raw = query.get(name);
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) throw invalidArgument(`${name} must be a whole number; got "${raw}".`);
    return Number(raw);
  };
  const offset = read('offset', 0);
  const limit = read('limit', 10);
  if (limit < 1 || limit > 100) throw invalidArgument('limit must be from 1 to 100.');
  const tables = [...state.vocab.values()].filter((t) => t.bucket === target.bucket);
  const slice = tables.slice(offset, offset + limit).map(tableXml);
  return xmlResponse(target, {
    TotalCount: String(tables.length),
    ...(slice.length > 0 ? { VocabularyTable: slice } : {}),
  });
}
