// Fenced code blocks of a document, found with the shared GFM parser (so a ``` inside a list or a
// blockquote, or an indented code block that only looks like a fence, is handled as GitHub does).
import type MarkdownIt from 'markdown-it';
import { createGfmParser } from '../markdown/gfm';
import { LineIndex } from '../text';
import type { FenceBlock } from './types';

let shared: MarkdownIt | undefined;

export function findFences(text: string, lines: LineIndex = new LineIndex(text)): FenceBlock[] {
  shared ??= createGfmParser();
  const tokens = shared.parse(text, {});
  const out: FenceBlock[] = [];
  for (const t of tokens) {
    if (t.type !== 'fence' || !t.map) continue;
    const [first, last] = t.map;
    const start = lines.lineStarts[first] ?? text.length;
    const end = last < lines.lineCount ? lines.lineStarts[last] : text.length;
    out.push({ info: t.info.trim(), content: t.content, line: first, contentLine: first + 1, start, end });
  }
  return out;
}
