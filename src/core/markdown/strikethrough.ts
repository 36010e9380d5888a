// GFM strikethrough as github.com parses it: one or two tildes (`~a~` and `~~a~~`), opener and closer of the same
// length, runs of three or more are literal. markdown-it only knows `~~`; the difference matters for math, because
// `$a~b$ … $c~d$` loses its formulas on GitHub.
import type MarkdownIt from 'markdown-it';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';

const TILDE = 0x7e;
/** Delimiter marker for `~~` runs, distinct from `~` so that only runs of equal length pair up. */
const DOUBLE_TILDE = 0x17e;

interface Delimiter {
  marker: number;
  length: number;
  token: number;
  end: number;
  open: boolean;
  close: boolean;
}

function tokenize(state: StateInline, silent: boolean): boolean {
  if (silent || state.src.charCodeAt(state.pos) !== TILDE) return false;
  const scanned = state.scanDelims(state.pos, true);
  const len = scanned.length;
  const token = state.push('text', '', 0);
  token.content = '~'.repeat(len);
  if (len <= 2) {
    (state.delimiters as unknown as Delimiter[]).push({
      marker: len === 1 ? TILDE : DOUBLE_TILDE,
      length: 0, // no "rule of 3" for tildes
      token: state.tokens.length - 1,
      end: -1,
      open: scanned.can_open,
      close: scanned.can_close,
    });
  }
  state.pos += len;
  return true;
}

function pairUp(state: StateInline, delimiters: Delimiter[]): void {
  for (const d of delimiters) {
    if ((d.marker !== TILDE && d.marker !== DOUBLE_TILDE) || d.end === -1) continue;
    const close = delimiters[d.end];
    const o = state.tokens[d.token];
    o.type = 's_open';
    o.tag = 's';
    o.nesting = 1;
    o.markup = o.content;
    o.content = '';
    const c = state.tokens[close.token];
    c.type = 's_close';
    c.tag = 's';
    c.nesting = -1;
    c.markup = c.content;
    c.content = '';
  }
}

function postProcess(state: StateInline): boolean {
  pairUp(state, state.delimiters as unknown as Delimiter[]);
  for (const meta of state.tokens_meta) {
    if (meta?.delimiters) pairUp(state, meta.delimiters as unknown as Delimiter[]);
  }
  return true;
}

export function gfmStrikethrough(md: MarkdownIt): void {
  md.inline.ruler.at('strikethrough', tokenize);
  md.inline.ruler2.at('strikethrough', postProcess);
}
