// Block-level bookkeeping shared by the GitHub walker and the VS Code model: which containers a token is in, and
// where the text of an inline token (paragraph, heading, table cell) lies in the document.
import type Token from 'markdown-it/lib/token.mjs';
import type { LineIndex } from '../text';
import type { MathContext } from '../scan/types';

/** Maps offsets in an inline token's content to document offsets. */
export interface ContentMap {
  lineBases: number[];
  contentLineStarts: number[];
  /** Exact document offset of each content character (+1 for the end), when content is not a plain copy. */
  chars?: number[];
}

export function toDocOffset(map: ContentMap, o: number): number {
  if (map.chars) return map.chars[Math.max(0, Math.min(o, map.chars.length - 1))];
  const starts = map.contentLineStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= o) lo = mid;
    else hi = mid - 1;
  }
  return map.lineBases[lo] + (o - starts[lo]);
}

/**
 * Find a table cell's content in its row. GFM turns `\|` into `|` before inline parsing, so the content may be
 * shorter than the source; map every content character to its source offset.
 */
export function locateCell(row: string, content: string, cursor: number, lineStart: number): { chars: number[]; next: number } {
  if (!content.includes('|')) {
    const at = content === '' ? cursor : row.indexOf(content, cursor);
    const start = at >= 0 ? at : cursor;
    const chars: number[] = new Array(content.length + 1);
    for (let i = 0; i <= content.length; i++) chars[i] = lineStart + start + i;
    return { chars, next: start + content.length };
  }
  const pattern = content.replace(/[.*+?^${}()[\]\\]/g, '\\$&').replace(/\|/g, '\\\\?\\|');
  const re = new RegExp(pattern, 'g');
  re.lastIndex = cursor;
  const m = re.exec(row);
  const start = m ? m.index : cursor;
  const chars: number[] = [];
  let p = start;
  for (let i = 0; i < content.length; i++) {
    if (content[i] === '|' && row[p] === '\\' && row[p + 1] === '|') p++;
    chars.push(lineStart + p);
    p++;
  }
  chars.push(lineStart + p);
  return { chars, next: p };
}

/** Tracks the containers of the current block token while walking markdown-it's token stream. */
export class BlockContext {
  private lists = 0;
  private quotes = 0;
  private tables = 0;
  private headings = 0;
  private footnotes = 0;
  private rowLine = -1;
  private rowCursor = 0;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
  ) {}

  lineStart(line: number): number {
    return line < this.lines.lineCount ? this.lines.lineStarts[line] : this.text.length;
  }

  /** Update the state for an opening or closing container token. */
  enter(t: Token): void {
    switch (t.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        this.lists++;
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        this.lists--;
        break;
      case 'blockquote_open':
        this.quotes++;
        break;
      case 'blockquote_close':
        this.quotes--;
        break;
      case 'table_open':
        this.tables++;
        break;
      case 'table_close':
        this.tables--;
        break;
      case 'heading_open':
        this.headings++;
        break;
      case 'heading_close':
        this.headings--;
        break;
      case 'footnote_reference_open':
      case 'footnote_open':
        this.footnotes++;
        break;
      case 'footnote_reference_close':
      case 'footnote_close':
        this.footnotes--;
        break;
      case 'tr_open':
        if (t.map) {
          this.rowLine = t.map[0];
          this.rowCursor = 0;
        }
        break;
      default:
        break;
    }
  }

  get inTable(): boolean {
    return this.tables > 0;
  }

  get inList(): boolean {
    return this.lists > 0;
  }

  get inHeading(): boolean {
    return this.headings > 0;
  }

  get inFootnote(): boolean {
    return this.footnotes > 0;
  }

  context(): MathContext {
    return { inList: this.lists > 0, inBlockquote: this.quotes > 0, inTable: this.tables > 0, inHeading: this.headings > 0 };
  }

  /** Where the content of an inline token lies in the document (table cells found in their row, in order). */
  contentMap(t: Token): ContentMap | undefined {
    if (this.tables > 0 && this.rowLine >= 0) {
      const cell = locateCell(this.lines.lineText(this.rowLine), t.content, this.rowCursor, this.lineStart(this.rowLine));
      this.rowCursor = cell.next;
      return { lineBases: [0], contentLineStarts: [0], chars: cell.chars };
    }
    if (!t.map) return undefined;
    const contentLines = t.content.split('\n');
    const lineBases: number[] = [];
    const contentLineStarts: number[] = [];
    let c = 0;
    for (let k = 0; k < contentLines.length; k++) {
      const cl = contentLines[k];
      const line = t.map[0] + k;
      const src = line < this.lines.lineCount ? this.lines.lineText(line) : '';
      let col: number;
      if (src.endsWith(cl)) col = src.length - cl.length;
      else if (src.trimEnd().endsWith(cl)) col = src.trimEnd().length - cl.length;
      else col = Math.max(0, src.indexOf(cl));
      lineBases.push(this.lineStart(line) + col);
      contentLineStarts.push(c);
      c += cl.length + 1;
    }
    return { lineBases, contentLineStarts };
  }
}

/**
 * The line after the last top-level block of a markdown-it token stream, lists left out: a list's range takes in
 * the blank lines after it, and a list always ends before a following line that is neither indented nor a list
 * item, whatever it contains.
 */
export function blocksExtent(tokens: readonly Token[]): number {
  let end = 0;
  for (const t of tokens) {
    if (t.level !== 0 || !t.map || t.type === 'bullet_list_open' || t.type === 'ordered_list_open') continue;
    if (t.map[1] > end) end = t.map[1];
  }
  return end;
}
