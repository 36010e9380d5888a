// Where VS Code's preview sees one display formula spanning several of GitHub's blocks. Both incremental consumers
// of the scanner (the preview's windowed re-parse and the linter's chunks) must never cut through such a region:
// the scanner compares GitHub's reading of the text with VS Code's, and that comparison crosses the region.
// `vscodeDisplayRegionsExact` parses the blocks with VS Code's own parser (a few milliseconds for thousands of
// lines); `vscodeDisplayRegions` is a line-level emulation for proposing cuts that are verified afterwards.
import type Token from 'markdown-it/lib/token.mjs';
import { vscodeBlockParser } from './vscodeModel';

/** Line ranges [start, end) of VS Code's multi-line `$$` formulas in `text`, from its parser's block phase. */
export function vscodeDisplayRegionsExact(text: string): [number, number][] {
  const out: [number, number][] = [];
  const visit = (tokens: readonly Token[]): void => {
    for (const t of tokens) {
      if (t.type === 'math_block' && t.map && t.map[1] - t.map[0] > 1) out.push([t.map[0], t.map[1]]);
    }
  };
  visit(vscodeBlockParser().parse(text, {}));
  return out.sort((a, b) => a[0] - b[0]);
}

/**
 * Line ranges VS Code's preview takes as one multi-line `$$` block: a line-level emulation of
 * @vscode/markdown-it-katex's block rule (an opening line starting with `$$` after container markers, outside
 * fenced code, up to the first later line containing `$$`, or to the end of the document). Known approximation:
 * `$$` lines inside raw HTML blocks or inside fences nested in lists are taken as openers.
 */
export function vscodeDisplayRegions(lines: readonly string[]): [number, number][] {
  const out: [number, number][] = [];
  let fence: { ch: string; len: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (f && f[1][0] === fence.ch && f[1].length >= fence.len && line.slice(f[0].length).trim() === '') fence = undefined;
      continue;
    }
    if (f && !(f[1][0] === '`' && line.slice(f[0].length).includes('`'))) {
      fence = { ch: f[1][0], len: f[1].length };
      continue;
    }
    const m = /^(?:[ \t]*(?:>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*\$\$/.exec(line);
    if (!m) continue;
    const rest = line.slice(m[0].length);
    const closers = rest.match(/\$\$/g)?.length ?? 0;
    // One line only when its single closing `$$` ends the line: `$$x$$ ` (trailing space) opens a multi-line block.
    if (closers > 1 || (closers === 1 && rest.replace(/\r$/, '').endsWith('$$'))) continue; // one line, local to its block
    let j = i + 1;
    while (j < lines.length && !lines[j].includes('$$')) j++;
    const end = Math.min(lines.length, j + 1);
    if (end - i > 1) out.push([i, end]);
    i = end - 1;
  }
  return out;
}
