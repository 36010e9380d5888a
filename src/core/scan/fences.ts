// Fenced code blocks of a document, found with the shared GFM parser (so a ``` inside a list or a
// blockquote, or an indented code block that only looks like a fence, is handled as GitHub does).
import type MarkdownIt from 'markdown-it';
import { blockPhaseOnly } from '../markdown/documentState';
import { createGfmParser } from '../markdown/gfm';
import { LineIndex } from '../text';
import type { FenceBlock } from './types';

let shared: MarkdownIt | undefined;

/** The GFM parser with only its block phase: fences are blocks, and inline parsing is most of a parse's cost. */
function blockParser(): MarkdownIt {
  if (!shared) {
    shared = blockPhaseOnly(createGfmParser());
  }
  return shared;
}

export function findFences(text: string, lines: LineIndex = new LineIndex(text)): FenceBlock[] {
  const tokens = blockParser().parse(text, {});
  const out: FenceBlock[] = [];
  for (const t of tokens) {
    if (t.type !== 'fence' || !t.map) continue;
    const [first, last] = t.map;
    const start = lines.lineStarts[first] ?? text.length;
    const end = last < lines.lineCount ? lines.lineStarts[last] : text.length;
    out.push({ info: t.info.trim(), content: t.content, line: first, contentLine: first + 1, start, end });
  }
  // In document order (a footnote's fences are parsed where they are written).
  return out.sort((a, b) => a.line - b.line);
}

/**
 * The one test of whether a fence is a ```check block, used by the preview's cards, the CodeLenses, the check worker
 * and every other engine caller. The first word of the info string names the block, compared without regard to case
 * as GitHub compares an info string's language name (```Python is highlighted as ```python, and ```Math is a math
 * block like ```math, see ../scan/plugin.ts): ```check, ```Check and ```CHECK are all check blocks, everywhere. The
 * word ends at whitespace or at `{` (```check{seed=3}), so ```checker or ```check-list are not checks.
 */
export function isCheckFence(f: Pick<FenceBlock, 'info'>): boolean {
  return /^check(?=\s|\{|$)/i.test(f.info.trim());
}

/** Cheap pre-test for a whole text: false means it has no check fence (saves the Markdown parse). */
export function mayHaveCheckFence(text: string): boolean {
  return /(`{3,}|~{3,})[ \t]*check/i.test(text);
}

/** The check blocks of a document, in document order. */
export function findCheckFences(text: string, lines?: LineIndex): FenceBlock[] {
  return mayHaveCheckFence(text) ? findFences(text, lines).filter(isCheckFence) : [];
}
