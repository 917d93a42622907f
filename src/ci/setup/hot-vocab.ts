import type { CiCallOptions } from '../types';
import { parseTable, parseTableId, parseTablePage } from './parse';
import type { SetupTransport } from './transport';
import type { HotVocabTable, HotVocabTablePage, HotVocabTableRequest, ListHotVocabTablesFilter } from './types';
import { validateHotVocab, validateId, validateVocabFilter, withoutUndefined } from './validate';
import { hotVocabXml } from './xml-body';

const PATH = 'asrhotvocabtable';

/** `POST /asrhotvocabtable` → the new `TableId`. */
export async function createHotVocabTable(
  t: SetupTransport,
  req: HotVocabTableRequest,
  o: CiCallOptions,
): Promise<string> {
  validateHotVocab(req);
  const call = {
    action: 'createHotVocabTable',
    method: 'POST',
    path: PATH,
    target: t.where(),
    body: hotVocabXml(req),
  } as const;
  return t.request(call, o, parseTableId);
}

/** `GET /asrhotvocabtable/<id>`. */
export async function getHotVocabTable(t: SetupTransport, id: string, o: CiCallOptions): Promise<HotVocabTable> {
  validateId(id, 'tableId');
  const call = {
    action: 'getHotVocabTable',
    method: 'GET',
    path: `${PATH}/${id}`,
    target: `${id} in ${t.where()}`,
  } as const;
  return t.request(call, o, parseTable);
}

/** `GET /asrhotvocabtable?offset&limit`. */
export async function listHotVocabTables(
  t: SetupTransport,
  f: ListHotVocabTablesFilter,
  o: CiCallOptions,
): Promise<HotVocabTablePage> {
  validateVocabFilter(f);
  const query = withoutUndefined({ offset: f.offset, limit: f.limit });
  return t.request(
    { action: 'listHotVocabTables', method: 'GET', path: PATH, target: t.where(), query },
    o,
    parseTablePage,
  );
}

/** `PUT /asrhotvocabtable` with `TableId` in the body (as the Python and Go SDKs send it). */
export async function updateHotVocabTable(
  t: SetupTransport,
  id: string,
  req: HotVocabTableRequest,
  o: CiCallOptions,
): Promise<void> {
  validateId(id, 'tableId');
  validateHotVocab(req);
  const body = hotVocabXml(req, id);
  await t.send({ action: 'updateHotVocabTable', method: 'PUT', path: PATH, target: `${id} in ${t.where()}`, body }, o);
}

/** `DELETE /asrhotvocabtable/<id>`. */
export async function deleteHotVocabTable(t: SetupTransport, id: string, o: CiCallOptions): Promise<void> {
  validateId(id, 'tableId');
  await t.send(
    { action: 'deleteHotVocabTable', method: 'DELETE', path: `${PATH}/${id}`, target: `${id} in ${t.where()}` },
    o,
  );
}
