// Model of VS Code's built-in Markdown preview math: markdown-it with the very plugin VS Code ships
// (@vscode/markdown-it-katex), so "what VS Code shows" is not a guess. Used to find near misses.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import katexPlugin from '@vscode/markdown-it-katex';
import { instrumentPositions, type PositionedToken } from '../markdown/positions';
import type { LineIndex } from '../text';
import type { MathContext, VscodeMath } from './types';
import { locateCell } from './scanner';

let shared: MarkdownIt | undefined;

/** A markdown-it configured like VS Code's preview (html on, linkify on) with the built-in math plugin. */
export function vscodeParser(): MarkdownIt {
  if (!shared) {
    shared = new MarkdownIt('default', { html: true, linkify: true, typographer: false });
    // Options as the built-in markdown-math extension enables them: `$$` blocks, ```math fences.
    shared.use(katexPlugin, { enableFencedBlocks: true });
    instrumentPositions(shared);
  }
  return shared;
}

export function scanVscode(text: string, lines: LineIndex): VscodeMath[] {
  const tokens = vscodeParser().parse(text, {});
  const out: VscodeMath[] = [];
  const lineStart = (l: number): number => (l < lines.lineCount ? lines.lineStarts[l] : text.length);
  let inList = 0;
  let inQuote = 0;
  let inTable = 0;
  let inHeading = 0;
  let rowLine = -1;
  let rowCursor = 0;
  for (const t of tokens) {
    switch (t.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        inList++;
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        inList--;
        break;
      case 'blockquote_open':
        inQuote++;
        break;
      case 'blockquote_close':
        inQuote--;
        break;
      case 'table_open':
        inTable++;
        break;
      case 'table_close':
        inTable--;
        break;
      case 'heading_open':
        inHeading++;
        break;
      case 'heading_close':
        inHeading--;
        break;
      case 'tr_open':
        if (t.map) {
          rowLine = t.map[0];
          rowCursor = 0;
        }
        break;
      case 'math_block': {
        if (!t.map) break;
        const context: MathContext = { inList: inList > 0, inBlockquote: inQuote > 0, inTable: false, inHeading: false };
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
        const context: MathContext = { inList: inList > 0, inBlockquote: inQuote > 0, inTable: false, inHeading: false };
        const start = lineStart(t.map[0]);
        let end = lineStart(t.map[1]);
        while (end > start && (text[end - 1] === '\n' || text[end - 1] === '\r')) end--;
        const bodyStart = lineStart(t.map[0] + 1);
        out.push({ syntax: 'fence', display: true, tex: t.content, start, end, range: lines.range(start, end), bodyStart, bodyEnd: bodyStart + t.content.length, context });
        break;
      }
      case 'inline': {
        const context: MathContext = { inList: inList > 0, inBlockquote: inQuote > 0, inTable: inTable > 0, inHeading: inHeading > 0 };
        let base: { lineBases: number[]; starts: number[]; chars?: number[] } | undefined;
        if (inTable > 0 && rowLine >= 0) {
          const cell = locateCell(lines.lineText(rowLine), t.content, rowCursor, lineStart(rowLine));
          rowCursor = cell.next;
          base = { lineBases: [0], starts: [0], chars: cell.chars };
        } else if (t.map) {
          base = contentMap(t, lines, lineStart);
        }
        if (!base) break;
        const b = base;
        const abs = (o: number): number => {
          if (b.chars) return b.chars[Math.max(0, Math.min(o, b.chars.length - 1))];
          let k = b.starts.length - 1;
          while (k > 0 && b.starts[k] > o) k--;
          return b.lineBases[k] + (o - b.starts[k]);
        };
        for (const c of (t.children ?? []) as PositionedToken[]) {
          if (c.type !== 'math_inline' && c.type !== 'math_inline_block' && c.type !== 'math_block') continue;
          const s = abs(c.srcStart ?? 0);
          const e = abs(c.srcEnd ?? 0);
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

function contentMap(t: Token, lines: LineIndex, lineStart: (l: number) => number): { lineBases: number[]; starts: number[] } {
  const contentLines = t.content.split('\n');
  const lineBases: number[] = [];
  const starts: number[] = [];
  let c = 0;
  const first = t.map ? t.map[0] : 0;
  for (let k = 0; k < contentLines.length; k++) {
    const cl = contentLines[k];
    const src = first + k < lines.lineCount ? lines.lineText(first + k) : '';
    let col: number;
    if (src.endsWith(cl)) col = src.length - cl.length;
    else if (src.trimEnd().endsWith(cl)) col = src.trimEnd().length - cl.length;
    else col = Math.max(0, src.indexOf(cl));
    lineBases.push(lineStart(first + k) + col);
    starts.push(c);
    c += cl.length + 1;
  }
  return { lineBases, starts };
}
