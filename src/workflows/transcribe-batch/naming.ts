/** Default output key template of a batch item. */
export const DEFAULT_OUTPUT_KEY_TEMPLATE = 'asr/{key}.{ext}';

/** Media extensions a prefix listing picks up by default (lower case, no dot). */
export const DEFAULT_MEDIA_EXTENSIONS: readonly string[] = [
  'wav',
  'mp3',
  'm4a',
  'aac',
  'flac',
  'ogg',
  'opus',
  'amr',
  'wma',
  'pcm',
  'silk',
  'speex',
  'mp4',
  'mov',
  'mkv',
  'avi',
  'flv',
  'webm',
  '3gp',
];

const PLACEHOLDER = /\{(key|dir|stem|ext)\}/g;

/** Problems with an output key template (unknown placeholders, no `{key}`/`{stem}` so items would collide). */
export function outputTemplateProblems(template: string): string[] {
  const unknown = [...template.matchAll(/\{([^}]*)\}/g)]
    .map((m) => m[1])
    .filter((n) => !['key', 'dir', 'stem', 'ext'].includes(n ?? ''));
  const problems = unknown.map((name) => `outputKeyTemplate has an unknown placeholder {${name}}`);
  if (!template.includes('{key}') && !template.includes('{stem}')) {
    problems.push('outputKeyTemplate must contain {key} or {stem}, or every item would write the same object');
  }
  return problems;
}

/** The output key of one media key under a template; `ext` is the transcript's extension (`txt` or `srt`). */
export function outputKeyFor(template: string, mediaKey: string, ext: string): string {
  const slash = mediaKey.lastIndexOf('/');
  const dir = slash >= 0 ? mediaKey.slice(0, slash + 1) : '';
  const name = mediaKey.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const values: Record<string, string> = { key: mediaKey, dir, stem, ext };
  return template.replace(PLACEHOLDER, (_, placeholder: string) => values[placeholder] ?? '');
}

/**
 * The workflow id of a batch's item `index`: under the batch's workflow id and the first run id of its chain. Runs of
 * one chain (continue-as-new, reset, retry) share the first run id, so none of them starts an item twice; a batch
 * started again under the same workflow id (a nightly id reused) is a new chain, whose items run again.
 */
export function batchItemWorkflowId(batchWorkflowId: string, firstRunId: string, index: number): string {
  return `${batchWorkflowId}/${firstRunId}/item-${index}`;
}
