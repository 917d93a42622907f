/**
 * The little Markdown reading the docs test needs: fenced code blocks with the HTML comment that marks them, links,
 * GitHub's heading anchors, and whether a block is an excerpt of a file.
 */

/** A fenced code block: its language, its text, the 1-based line of its opening fence, and the comment above it. */
export interface CodeBlock {
  lang: string;
  code: string;
  line: number;
  /** The text of an HTML comment on the last non-blank line before the fence (`example: …`, `not compiled: …`). */
  marker?: string;
}

/** Every fenced block of `markdown`, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    let end = i + 1;
    while (end < lines.length && lines[end]!.trim() !== fence) end++;
    let previous = i - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    const comment = previous >= 0 ? /^<!--\s*(.*?)\s*-->$/.exec(lines[previous]!.trim()) : null;
    blocks.push({ lang: open[2]!, code: lines.slice(i + 1, end).join('\n'), line: i + 1, marker: comment?.[1] });
    i = end;
  }
  return blocks;
}

/** `markdown` with fenced blocks and inline code blanked (same line count), so links inside code are not read. */
export function withoutCode(markdown: string): string {
  const lines = markdown.split('\n');
  let fence: string | undefined;
  return lines
    .map((line) => {
      const marker = /^(`{3,})/.exec(line)?.[1];
      if (fence) {
        if (line.trim() === fence) fence = undefined;
        return '';
      }
      if (marker) {
        fence = marker;
        return '';
      }
      return line.replace(/`[^`]*`/g, '``');
    })
    .join('\n');
}

/** A `[text](target)` link and its 1-based line. */
export interface Link {
  target: string;
  line: number;
}

/** Inline links outside code (images included). */
export function links(markdown: string): Link[] {
  return withoutCode(markdown)
    .split('\n')
    .flatMap((text, index) =>
      [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => ({ target: m[1]!, line: index + 1 })),
    );
}

/** The anchors GitHub gives the headings of `markdown` (`## Supported Node.js versions` → `supported-nodejs-versions`). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const marker = /^(`{3,})/.exec(line)?.[1];
    if (fence) {
      if (line.trim() === fence) fence = undefined;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const text = heading[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/**
 * The line of code a block line stands for: trimmed, without a trailing `// comment` (so the docs may comment an
 * excerpt differently from the file), or undefined for blank lines and whole-line comments (`// ...` elisions).
 */
export function codeOf(line: string): string | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('//')) return undefined;
  for (let at = text.indexOf(' //'); at !== -1; at = text.indexOf(' //', at + 1)) {
    const before = text.slice(0, at);
    const quotes = (before.match(/['"`]/g) ?? []).length;
    if (quotes % 2 === 0) return before.trimEnd();
  }
  return text;
}

/**
 * Whether every code line of `excerpt` appears in `file`, in order (indentation and trailing comments aside). Returns
 * the first excerpt line that could not be found after the previous match, or undefined when it is an excerpt.
 */
export function missingExcerptLine(excerpt: string, file: string): string | undefined {
  const fileLines = file
    .split('\n')
    .map(codeOf)
    .filter((l): l is string => l !== undefined);
  let at = 0;
  for (const line of excerpt.split('\n')) {
    const code = codeOf(line);
    if (code === undefined) continue;
    const found = fileLines.indexOf(code, at);
    if (found === -1) return line.trim();
    at = found + 1;
  }
  return undefined;
}
