import { CiValidationError } from '../errors';
import type { SubmitAsrJobRequest } from '../types';
import { submitRequestIssues } from '../validate';
import { IssueList, isHttpUrl, isRecord } from '../validate';
import type {
  AsrTemplateRequest,
  CiPageRequest,
  HotVocabTableRequest,
  ListHotVocabTablesFilter,
  QueueNotifyConfig,
  UpdateAsrQueueRequest,
} from './types';

/** CI ids travel in the URL path: keep them to the characters CI uses. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const MQ_REGIONS = ['sh', 'bj', 'gz', 'cd', 'hk'];
const WEIGHTS = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 100]);

function fail(what: string, out: IssueList): void {
  if (out.issues.length > 0) throw new CiValidationError(what, out.issues);
}

function wholeIn(out: IssueList, value: unknown, path: string, min: number, max: number): void {
  const ok =
    value === undefined || (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max);
  out.check(ok, path, `must be a whole number from ${min} to ${max}`);
}

/** Checks `pageNumber`/`pageSize`. */
export function checkPaging(out: IssueList, p: CiPageRequest): void {
  wholeIn(out, p.pageNumber, 'pageNumber', 1, 1_000_000);
  wholeIn(out, p.pageSize, 'pageSize', 1, 100);
}

/** Throws a `CiValidationError` unless `id` looks like a CI id (it goes into the URL path). */
export function validateId(id: unknown, what: string): asserts id is string {
  const out = new IssueList();
  out.check(typeof id === 'string' && ID.test(id), what, 'must be 1-64 letters, digits, "-" or "_"');
  fail(what, out);
}

/** Throws unless every id in the list is valid and the list is not empty. */
export function validateIds(ids: readonly string[] | undefined, path: string, out: IssueList): void {
  if (ids === undefined) return;
  out.check(Array.isArray(ids) && ids.length > 0, path, 'must list at least one id when given');
  ids.forEach((id, i) => out.check(typeof id === 'string' && ID.test(id), `${path}[${i}]`, 'is not a valid id'));
}

/** Runs `check` on a fresh issue list and throws a `CiValidationError` naming `what` when it found problems. */
export function validate(what: string, check: (out: IssueList) => void): void {
  const out = new IssueList();
  check(out);
  fail(what, out);
}

function checkNotify(out: IssueList, n: QueueNotifyConfig): void {
  const P = 'notifyConfig';
  out.oneOf(n.State, ['On', 'Off'], `${P}.State`);
  out.check(n.State !== undefined, `${P}.State`, 'is required');
  out.oneOf(n.Type, ['Url', 'TDMQ'], `${P}.Type`);
  out.oneOf(n.ResultFormat, ['XML', 'JSON'], `${P}.ResultFormat`);
  out.oneOf(n.MqMode, ['Queue', 'Topic'], `${P}.MqMode`);
  const events = (n.Event ?? 'TaskFinish').split(',');
  out.check(
    events.every((e) => e === 'TaskFinish' || e === 'WorkflowFinish'),
    `${P}.Event`,
    'must list TaskFinish and/or WorkflowFinish',
  );
  const type = n.Type ?? 'Url';
  if (n.State === 'On' && type === 'Url') {
    out.check(typeof n.Url === 'string' && isHttpUrl(n.Url), `${P}.Url`, 'must be an http(s) URL when State is On');
  }
  if (n.State === 'On' && type === 'TDMQ') {
    out.oneOf(n.MqRegion, MQ_REGIONS, `${P}.MqRegion`);
    out.requiredString(n.MqRegion, `${P}.MqRegion`);
    out.requiredString(n.MqName, `${P}.MqName`);
  }
}

/** Checks a queue update; throws `CiValidationError` listing every problem. */
export function validateQueueUpdate(queueId: string, req: UpdateAsrQueueRequest): void {
  validateId(queueId, 'queueId');
  validate('ASR queue update', (out) => {
    out.check(isRecord(req), 'request', 'must be an object');
    out.optionalString(req.name, 'name');
    out.oneOf(req.state, ['Active', 'Paused'], 'state');
    if (req.notifyConfig !== undefined) checkNotify(out, req.notifyConfig);
    out.check(
      req.name !== undefined || req.state !== undefined || req.notifyConfig !== undefined,
      'request',
      'must change name, state or notifyConfig',
    );
  });
}

/** Checks a template body with the same `SpeechRecognition` rules as a job's. */
export function validateTemplate(req: AsrTemplateRequest): void {
  validate('ASR template', (out) => {
    out.requiredString(req.Name, 'Name');
    out.check(typeof req.Name !== 'string' || req.Name.length <= 64, 'Name', 'must be at most 64 characters');
    // Reuse the job rules: a template is the job's SpeechRecognition block under a name.
    const probe = {
      Input: { Object: 'probe' },
      Operation: { SpeechRecognition: req.SpeechRecognition, Output: { Region: 'ap-x', Bucket: 'b-1', Object: 'o' } },
    } as SubmitAsrJobRequest;
    for (const issue of submitRequestIssues(probe)) {
      if (issue.path.startsWith('Operation.SpeechRecognition')) out.add(issue.path.slice(10), issue.message);
    }
  });
}

/** Checks a hot-word table body. */
export function validateHotVocab(req: HotVocabTableRequest): void {
  validate('hot-word table', (out) => {
    out.requiredString(req.TableName, 'TableName');
    out.optionalString(req.TableDescription, 'TableDescription');
    const words: unknown = req.VocabularyWeights;
    out.check(Array.isArray(words) && words.length > 0, 'VocabularyWeights', 'must list at least one word');
    (Array.isArray(words) ? (words as unknown[]) : []).forEach((w, i) => {
      const word = isRecord(w) ? w : {};
      out.requiredString(word.Vocabulary, `VocabularyWeights[${i}].Vocabulary`);
      out.check(WEIGHTS.has(word.Weight as number), `VocabularyWeights[${i}].Weight`, 'must be 1-10, 11 or 100');
    });
  });
}

/** Checks `offset`/`limit`. */
export function validateVocabFilter(f: ListHotVocabTablesFilter): void {
  validate('hot-word table filter', (out) => {
    wholeIn(out, f.offset, 'offset', 0, 1_000_000);
    wholeIn(out, f.limit, 'limit', 1, 100);
  });
}

/** A comma list for a query parameter; `undefined` stays undefined. */
export function joined(list: readonly string[] | undefined): string | undefined {
  return list === undefined ? undefined : list.join(',');
}

/** Query parameters without the unset ones, values as strings. */
export function withoutUndefined(query: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
}
