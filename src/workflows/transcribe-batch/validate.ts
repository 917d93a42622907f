import { resolveTranscribeMediaInput } from '../transcribe-media/input';
import { outputTemplateProblems } from './naming';
import type { TranscribeBatchInput } from './types';

function countProblem(name: string, value: number | undefined, min: number, max: number): string[] {
  if (value === undefined) return [];
  return Number.isInteger(value) && value >= min && value <= max
    ? []
    : [`${name} must be an integer from ${min} to ${max}`];
}

/** Every problem with a batch input (empty when valid); per-item settings are checked as one item would be. */
export function batchInputProblems(input: TranscribeBatchInput): string[] {
  const problems: string[] = [];
  const source = input.source as { keys?: unknown; prefix?: unknown } | undefined;
  if (!source || (source.keys === undefined) === (source.prefix === undefined)) {
    problems.push('source takes exactly one of keys or prefix');
  } else if (source.keys !== undefined) {
    const keys = source.keys;
    if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'string' || !k.trim())) {
      problems.push('source.keys must be a non-empty list of object keys');
    } else if (keys.length > (input.maxItems ?? 10_000)) {
      problems.push(`source.keys has ${keys.length} keys, more than maxItems (${input.maxItems ?? 10_000})`);
    }
  } else if (typeof source.prefix !== 'string') {
    problems.push('source.prefix must be a string (it may be empty for the whole bucket)');
  }
  problems.push(...countProblem('maxInFlight', input.maxInFlight, 1, 100));
  problems.push(...countProblem('itemsPerRun', input.itemsPerRun, 1, 1000));
  problems.push(...countProblem('maxItems', input.maxItems, 1, 1_000_000));
  problems.push(...outputTemplateProblems(input.outputKeyTemplate ?? '{key}'));
  const probe = resolveTranscribeMediaInput({
    ...input.item,
    media: { object: 'probe.wav' },
    recognition: input.recognition,
  });
  if (!probe.ok) problems.push(...probe.problems);
  return problems;
}
