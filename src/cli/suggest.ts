/** Levenshtein distance, for "did you mean" hints on mistyped commands and flags. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate within a small edit distance, for a " Did you mean X?" hint; undefined if none is close. */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = distance(input, name);
    if (best === undefined || d < best.d) best = { name, d };
  }
  const limit = Math.max(1, Math.floor(input.length / 3));
  return best !== undefined && best.d <= limit ? best.name : undefined;
}
