// Markdown whose meaning reaches across blocks: where it appears, a change in one block can change how another
// block parses, so the incremental consumers (the linter's chunks, the preview's windowed re-parse) fall back to
// the whole document. The tests are deliberately loose (a false alarm only costs a full parse).
import type MarkdownIt from 'markdown-it';

/** A line that may define a link reference, also inside quotes and list items (`> [a]: url`). */
export const LINK_REFERENCE_DEFINITION = /^[ \t>*+\-\d.)]*\[[^\]\n]+\]:/m;
/** A footnote reference or definition (a footnote is numbered by the whole page and defined anywhere in it). */
export const FOOTNOTE_MARK = /\[\^/;
/** A raw `<b>` tag: left open, GitHub renders no math in any later paragraph. */
export const RAW_BOLD = /<b[\s>/]/i;

/** Turns `md` into a parser of blocks only: every core rule after the block phase is disabled (unknown names ignored). */
export function blockPhaseOnly(md: MarkdownIt): MarkdownIt {
  md.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join', 'footnote_tail'], true);
  return md;
}
