// Source positions for markdown-it inline tokens.
//
// markdown-it records line maps for block tokens only. The scanner needs the exact source span of every inline
// token (a `$` GitHub sees after its Markdown pass must be reported where it is written). We wrap every inline rule
// so that each token pushed while a rule runs gets the span of source the rule consumed, and we track where the
// pending text of the inline state started (pending text is always a verbatim copy of the source in markdown-it 14:
// escapes and entities are separate `text_special` tokens). Offsets are relative to the inline token's content.
import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';

/** Token with its span in the inline content (set for every token produced by the inline parser). */
export interface PositionedToken extends Token {
  srcStart?: number;
  srcEnd?: number;
}

interface TrackedState extends StateInline {
  mwPendingStart?: number;
}

type InlineRule = (state: StateInline, silent: boolean) => boolean;

const INSTRUMENTED = Symbol('math-writeup-positions');

export function instrumentPositions(md: MarkdownIt): void {
  const marker = md as unknown as Record<symbol, boolean>;
  if (marker[INSTRUMENTED]) return;
  marker[INSTRUMENTED] = true;

  const BaseState = md.inline.State;
  class PositionedState extends BaseState {
    override pushPending(): Token {
      const self = this as TrackedState;
      const token = super.pushPending() as PositionedToken;
      const start = self.mwPendingStart ?? self.pos - token.content.length;
      token.srcStart = start;
      token.srcEnd = start + token.content.length;
      self.mwPendingStart = undefined;
      return token;
    }
  }
  md.inline.State = PositionedState as unknown as typeof md.inline.State;

  const ruler = md.inline.ruler as unknown as { __rules__: { name: string; fn: InlineRule }[]; at(name: string, fn: InlineRule): void };
  for (const rule of [...ruler.__rules__]) {
    const inner = rule.fn;
    ruler.at(rule.name, wrapRule(inner));
  }
  // fragments_join merges adjacent text tokens; keep their spans.
  const ruler2 = md.inline.ruler2 as unknown as { at(name: string, fn: (state: StateInline) => void): void };
  ruler2.at('fragments_join', joinFragments);
}

function wrapRule(inner: InlineRule): InlineRule {
  return (state, silent) => {
    if (silent) return inner(state, silent);
    const s = state as TrackedState;
    if (s.pending === '') s.mwPendingStart = s.pos;
    const pos0 = s.pos;
    const n0 = s.tokens.length;
    const ok = inner(state, false);
    if (ok && s.tokens.length > n0) assignSpans(s.tokens as PositionedToken[], n0, pos0, s.pos);
    if (ok && s.pending === '') s.mwPendingStart = undefined;
    return ok;
  };
}

function assignSpans(tokens: PositionedToken[], from: number, pos0: number, pos1: number): void {
  const fresh: PositionedToken[] = [];
  for (let i = from; i < tokens.length; i++) if (tokens[i].srcStart === undefined) fresh.push(tokens[i]);
  if (fresh.length === 0) return;
  // Several single-character text tokens from one rule (emphasis and strikethrough delimiter runs):
  // give each its own character.
  let total = 0;
  let allText = true;
  for (const t of fresh) {
    total += t.content.length;
    if (t.type !== 'text') allText = false;
  }
  if (allText && fresh.length > 1 && total === pos1 - pos0) {
    let p = pos0;
    for (const t of fresh) {
      t.srcStart = p;
      p += t.content.length;
      t.srcEnd = p;
    }
    return;
  }
  for (const t of fresh) {
    t.srcStart = pos0;
    t.srcEnd = pos1;
  }
}

function joinFragments(state: StateInline): void {
  const tokens = state.tokens as PositionedToken[];
  let level = 0;
  let last = 0;
  const max = tokens.length;
  let curr = 0;
  for (; curr < max; curr++) {
    if (tokens[curr].nesting < 0) level--;
    tokens[curr].level = level;
    if (tokens[curr].nesting > 0) level++;
    if (tokens[curr].type === 'text' && curr + 1 < max && tokens[curr + 1].type === 'text') {
      const next = tokens[curr + 1];
      // The joined text starts where `next` starts minus what is prepended. Not simply at the first token's start:
      // emphasis empties the outer `*` of a `**` run but keeps its one-character span, and taking that span would
      // place everything after `**bold**` one character to the left.
      const prepended = tokens[curr].content.length;
      if (next.srcStart !== undefined) next.srcStart -= prepended;
      else if (tokens[curr].srcStart !== undefined) next.srcStart = tokens[curr].srcStart;
      next.content = tokens[curr].content + next.content;
    } else {
      if (curr !== last) tokens[last] = tokens[curr];
      last++;
    }
  }
  if (curr !== last) tokens.length = last;
}
