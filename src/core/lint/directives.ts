// Inline directives: HTML comments that switch rules off and on for part of a document.
//
//   <!-- math-writeup-disable -->                 every rule off from this line on
//   <!-- math-writeup-disable MW003 text-before-dollar -->   these rules off from this line on
//   <!-- math-writeup-enable MW003 -->            back on from this line on (no name: everything back on)
//   <!-- math-writeup-disable-next-line MW003 --> off on the line after the comment only
//   <!-- math-writeup-disable-line MW003 -->      off on the comment's own line only
//
// Rules are named by id or alias, any case, separated by spaces or commas. A finding is governed by the state at
// the line where it starts. Only comments GitHub would treat as HTML count: the same text inside a code span,
// a fenced or an indented code block is an example, not a directive. Unknown rule names and unknown directive
// kinds are reported (rule MW000) instead of being silently ignored.
import type MarkdownIt from 'markdown-it';
import { createGfmParser } from '../markdown/gfm';
import type { LineIndex } from '../text';
import type { Registry } from './registry';
import { unknownRuleMessage } from './config';

export type DirectiveKind = 'disable' | 'enable' | 'disable-next-line' | 'disable-line';
const KINDS: readonly DirectiveKind[] = ['disable', 'enable', 'disable-next-line', 'disable-line'];

export interface Directive {
  kind: DirectiveKind;
  /** Canonical rule ids, or 'all' when the directive names no rule. */
  rules: string[] | 'all';
  /** Offsets of the whole comment. */
  start: number;
  end: number;
  /** 0-based lines of the comment's start and end. */
  line: number;
  endLine: number;
}

export interface DirectiveProblem {
  start: number;
  end: number;
  message: string;
}

const MARKER = 'math-writeup-';
const COMMENT_RE = /<!--\s*math-writeup-([A-Za-z-]*)([\s\S]*?)-->/g;

let parser: MarkdownIt | undefined;

/** HTML that markdown-it (configured like GFM) sees: comment text by block line range. */
interface HtmlBlock {
  first: number;
  last: number; // exclusive
  block?: string; // html_block content
  inline?: Set<string>; // html_inline contents
}

function htmlBlocks(text: string): HtmlBlock[] {
  parser ??= createGfmParser();
  const out: HtmlBlock[] = [];
  for (const t of parser.parse(text, {})) {
    if (!t.map) continue;
    if (t.type === 'html_block') out.push({ first: t.map[0], last: t.map[1], block: t.content });
    else if (t.type === 'inline' && t.children) {
      const inline = new Set<string>();
      for (const c of t.children) if (c.type === 'html_inline' && c.content.includes(MARKER)) inline.add(c.content);
      if (inline.size > 0) out.push({ first: t.map[0], last: t.map[1], inline });
    }
  }
  return out;
}

/** Find the directives of a document. Cheap when the document has none (a substring test). */
export function parseDirectives(
  text: string,
  lines: LineIndex,
  registry: Registry,
): { directives: Directive[]; problems: DirectiveProblem[] } {
  const directives: Directive[] = [];
  const problems: DirectiveProblem[] = [];
  if (!text.includes(MARKER)) return { directives, problems };
  const blocks = htmlBlocks(text);
  COMMENT_RE.lastIndex = 0;
  for (let m = COMMENT_RE.exec(text); m; m = COMMENT_RE.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    const line = lines.positionAt(start).line;
    const endLine = lines.positionAt(end).line;
    const comment = m[0];
    const isHtml = blocks.some(
      (b) => b.first <= line && line < b.last && (b.block !== undefined ? b.block.includes(comment) : b.inline?.has(comment)),
    );
    if (!isHtml) continue;
    const kind = m[1].toLowerCase();
    if (!(KINDS as readonly string[]).includes(kind)) {
      problems.push({
        start,
        end,
        message: `unknown directive "math-writeup-${m[1]}"; use one of ${KINDS.map((k) => `math-writeup-${k}`).join(', ')}`,
      });
      continue;
    }
    // The kind must be followed by whitespace or the end of the comment ("math-writeup-disableMW003" is a typo).
    const names = m[2].split(/[\s,]+/).filter((s) => s !== '');
    if (m[2] !== '' && !/^\s/.test(m[2])) {
      problems.push({ start, end, message: `directive "math-writeup-${m[1]}" must be followed by a space before rule names` });
      continue;
    }
    const ids: string[] = [];
    for (const n of names) {
      const id = registry.canonicalId(n);
      if (id) ids.push(id);
      else problems.push({ start, end, message: unknownRuleMessage(n, registry, ` in directive "math-writeup-${kind}"`) });
    }
    // A directive whose every name is unknown does nothing (rather than acting on all rules).
    if (names.length > 0 && ids.length === 0) continue;
    directives.push({ kind: kind as DirectiveKind, rules: names.length === 0 ? 'all' : ids, start, end, line, endLine });
  }
  return { directives, problems };
}

interface State {
  /** When true every rule is off except those in `set`; when false the rules in `set` are off. */
  allOff: boolean;
  set: Set<string>;
}

/**
 * Build the question "is rule `id` disabled on line `line`?" from a document's directives.
 * O(log d) per question for d directives.
 */
export function createSuppressor(directives: readonly Directive[]): (ruleId: string, line: number) => boolean {
  if (directives.length === 0) return () => false;
  const changes: { line: number; state: State }[] = [];
  const single = new Map<number, Set<string> | 'all'>();
  let state: State = { allOff: false, set: new Set() };
  const ordered = [...directives].sort((a, b) => a.start - b.start);
  for (const d of ordered) {
    if (d.kind === 'disable-line' || d.kind === 'disable-next-line') {
      const at = d.kind === 'disable-line' ? d.line : d.endLine + 1;
      const prev = single.get(at);
      if (d.rules === 'all' || prev === 'all') single.set(at, 'all');
      else single.set(at, new Set([...(prev ?? []), ...d.rules]));
      continue;
    }
    const off = d.kind === 'disable';
    if (d.rules === 'all') state = { allOff: off, set: new Set() };
    else {
      const set = new Set(state.set);
      // In "all off" mode the set lists exceptions (rules on); otherwise it lists rules off.
      const add = state.allOff ? !off : off;
      for (const id of d.rules) {
        if (add) set.add(id);
        else set.delete(id);
      }
      state = { allOff: state.allOff, set };
    }
    changes.push({ line: d.line, state });
  }
  return (ruleId, line) => {
    const s = single.get(line);
    if (s === 'all' || s?.has(ruleId)) return true;
    // Last change at or before `line`.
    let lo = 0;
    let hi = changes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (changes[mid].line <= line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return false;
    const st = changes[found].state;
    return st.allOff ? !st.set.has(ruleId) : st.set.has(ruleId);
  };
}
