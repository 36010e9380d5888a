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
