// Model of VS Code's built-in Markdown preview math: markdown-it with the very plugin VS Code ships
// (@vscode/markdown-it-katex), so "what VS Code shows" is not a guess. Used to find near misses.
import MarkdownIt from 'markdown-it';
import katexPlugin from '@vscode/markdown-it-katex';
import { instrumentPositions, type PositionedToken } from '../markdown/positions';
import type { LineIndex } from '../text';
import type { MathContext, VscodeMath } from './types';
import { BlockContext, blocksExtent, toDocOffset } from '../markdown/blocks';
import { blockPhaseOnly } from '../markdown/documentState';

/** A markdown-it configured like VS Code's preview (html on, linkify on) with the built-in math plugin. */
function createVscodeMarkdownIt(): MarkdownIt {
  // Options as the built-in markdown-math extension enables them: `$$` blocks, ```math fences.
  return new MarkdownIt('default', { html: true, linkify: true, typographer: false }).use(katexPlugin, { enableFencedBlocks: true });
}

let shared: MarkdownIt | undefined;

/** VS Code's preview parser, its inline tokens carrying source positions. */
export function vscodeParser(): MarkdownIt {
  if (!shared) {
    shared = createVscodeMarkdownIt();
    instrumentPositions(shared);
  }
  return shared;
}

let blockOnly: MarkdownIt | undefined;

/** `vscodeParser` with only its block phase (block-level structure, `$$` blocks and fences; no inline parsing). */
export function vscodeBlockParser(): MarkdownIt {
  blockOnly ??= blockPhaseOnly(createVscodeMarkdownIt());
  return blockOnly;
}

/** VS Code's formulas in `text`; `extent.end` receives the line after its last top-level block. */
export function scanVscode(text: string, lines: LineIndex, extent?: { end: number }): VscodeMath[] {
  const tokens = vscodeParser().parse(text, {});
  if (extent) extent.end = blocksExtent(tokens);
  const out: VscodeMath[] = [];
  const blocks = new BlockContext(text, lines);
  const lineStart = (l: number): number => blocks.lineStart(l);
  for (const t of tokens) {
    blocks.enter(t);
    switch (t.type) {
      case 'math_block': {
        if (!t.map) break;
        const context: MathContext = { ...blocks.context(), inTable: false, inHeading: false };
        const first = lineStart(t.map[0]);
        const lastLine = Math.max(t.map[0], t.map[1] - 1);
        const lastText = lines.lineText(lastLine);
        const openAt = text.indexOf('$$', first);
        const start = openAt >= 0 && openAt < lineStart(t.map[0] + 1) ? openAt : first;
        const closeCol = lastText.lastIndexOf('$$');
        const end = closeCol >= 0 && lineStart(lastLine) + closeCol > start ? lineStart(lastLine) + closeCol + 2 : lineStart(lastLine) + lastText.length;
        out.push({ syntax: 'double-dollar', display: true, tex: t.content, start, end, range: lines.range(start, end), bodyStart: Math.min(start + 2, end), bodyEnd: Math.max(start, end - 2), context });
        break;
      }
      case 'fence': {
        if (!t.map || t.info.trim().toLowerCase() !== 'math') break;
        const context: MathContext = { ...blocks.context(), inTable: false, inHeading: false };
        const start = lineStart(t.map[0]);
        let end = lineStart(t.map[1]);
        while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
        const bodyStart = lineStart(t.map[0] + 1);
        out.push({ syntax: 'fence', display: true, tex: t.content, start, end, range: lines.range(start, end), bodyStart, bodyEnd: bodyStart + t.content.length, context });
        break;
      }
      case 'inline': {
        const map = blocks.contentMap(t);
        if (!map) break;
        const context = blocks.context();
        for (const c of (t.children ?? []) as PositionedToken[]) {
          if (c.type !== 'math_inline' && c.type !== 'math_inline_block' && c.type !== 'math_block') continue;
          const s = toDocOffset(map, c.srcStart ?? 0);
          const e = toDocOffset(map, c.srcEnd ?? 0);
          const display = c.type !== 'math_inline';
          const d = display ? 2 : 1;
          let tex = c.content;
          let syntax: VscodeMath['syntax'] = display ? 'double-dollar' : 'dollar';
          if (!display && tex.length > 2 && tex.startsWith('`') && tex.endsWith('`')) {
            tex = tex.slice(1, -1);
            syntax = 'backtick';
          }
          out.push({ syntax, display, tex, start: s, end: e, range: lines.range(s, e), bodyStart: s + d, bodyEnd: e - d, context });
        }
        break;
      }
      default:
        break;
    }
  }
  // Defensive: every range lies inside the document and is non-empty (odd inputs like `$$$`).
  return out.filter((m) => {
    m.start = Math.max(0, Math.min(m.start, text.length));
    m.end = Math.max(m.start, Math.min(m.end, text.length));
    m.bodyStart = Math.max(m.start, Math.min(m.bodyStart, m.end));
    m.bodyEnd = Math.max(m.bodyStart, Math.min(m.bodyEnd, m.end));
    m.range = lines.range(m.start, m.end);
    return m.end > m.start;
  });
}
