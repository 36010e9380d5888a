// markdown-it plugin: GitHub's math handling as tokens, from the same scanner the linter uses.
//
// After parsing, formulas GitHub renders are `math_inline` tokens (content = TeX MathJax receives) or, for display
// paragraphs and ```math fences, `math_block` block tokens. Near misses (VS Code renders math, GitHub does not or
// renders it differently) are wrapped in `math_nearmiss_open` / `math_nearmiss_close`. Token meta carries the
// source offsets. The scan result is stored in `env.mathWriteupScan`.
import type MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type StateCore from 'markdown-it/lib/rules_core/state_core.mjs';
import { instrumentPositions } from '../markdown/positions';
import { scanTokens, type AbsToken, type DetailedScan } from './scanner';
import type { GithubMath, NearMiss } from './types';
import { OffsetIndex } from './offsetIndex';

export interface MathTokenMeta {
  display: boolean;
  delimited: string;
  syntax: GithubMath['syntax'];
  start: number;
  end: number;
}

export interface NearMissTokenMeta {
  /** The near miss (its typed cause; the renderer asks the lint rule owning it for words). */
  miss: NearMiss;
  start: number;
  end: number;
}

/** What the plugin leaves in markdown-it's env for the renderer. */
export interface GithubMathEnv {
  mathWriteupScan?: DetailedScan;
  /** The near miss of each formula GitHub renders differently from VS Code, by the formula's start offset. */
  mathWriteupDamaged?: Map<number, NearMiss>;
}

export function githubMathPlugin(md: MarkdownIt): void {
  instrumentPositions(md);
  md.core.ruler.before('text_join', 'math_writeup_github_math', (state: StateCore) => {
    const scan = scanTokens(state.src, state.tokens);
    const env = state.env as GithubMathEnv;
    env.mathWriteupScan = scan;
    env.mathWriteupDamaged = new Map();
    for (const n of scan.nearMisses) if (n.github && !env.mathWriteupDamaged.has(n.github.start)) env.mathWriteupDamaged.set(n.github.start, n);
    rewrite(state, scan);
    return true;
  });
}

function rewrite(state: StateCore, scan: DetailedScan): void {
  const out: Token[] = [];
  const dollarBlocks = new OffsetIndex(scan.math.filter((m) => m.display && m.syntax === 'double-dollar'));
  const inlineMath = new OffsetIndex(scan.math.filter((m) => !m.display));
  const misses = new OffsetIndex(scan.nearMisses.filter((n) => !n.github));
  // ```math fences by the line they open on (the first formula of that line, as before).
  let fenceByLine: Map<number, GithubMath> | undefined;
  const fenceAt = (line: number): GithubMath | undefined => {
    if (!fenceByLine) {
      fenceByLine = new Map();
      for (const m of scan.math) {
        if (!m.display || m.syntax !== 'fence') continue;
        const l = scan.lines.positionAt(m.start).line;
        if (!fenceByLine.has(l)) fenceByLine.set(l, m);
      }
    }
    return fenceByLine.get(line);
  };
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'fence' && t.map && t.info.trim().split(/\s+/)[0]?.toLowerCase() === 'math') {
      const m = fenceAt(t.map[0]);
      if (m) {
        out.push(mathBlock(state, m, t.map));
        continue;
      }
    }
    if (t.type === 'paragraph_open' && tokens[i + 1]?.type === 'inline' && tokens[i + 2]?.type === 'paragraph_close') {
      const inline = tokens[i + 1];
      const kids = (inline.children ?? []) as AbsToken[];
      const s = kids[0]?.absStart;
      const e = kids[kids.length - 1]?.absEnd;
      if (s !== undefined && e !== undefined) {
        const formulas = dollarBlocks.within(s, e);
        if (formulas.length > 0) {
          for (const m of formulas) out.push(mathBlock(state, m, t.map));
          i += 2;
          continue;
        }
      }
    }
    if (t.type === 'inline' && t.children) t.children = rewriteInline(state, t.children as AbsToken[], inlineMath, misses);
    out.push(t);
  }
  state.tokens = out;
}

function mathBlock(state: StateCore, m: GithubMath, map: [number, number] | null): Token {
  const tok = new state.Token('math_block', 'math', 0);
  tok.block = true;
  tok.content = m.tex;
  tok.markup = m.syntax === 'fence' ? '```' : '$$';
  tok.map = map;
  const meta: MathTokenMeta = { display: true, delimited: m.delimited, syntax: m.syntax, start: m.start, end: m.end };
  tok.meta = meta;
  return tok;
}

function rewriteInline(state: StateCore, kids: AbsToken[], math: OffsetIndex<GithubMath>, nearMisses: OffsetIndex<NearMiss>): Token[] {
  if (kids.length === 0) return kids;
  const s0 = kids[0].absStart ?? 0;
  const e0 = kids[kids.length - 1].absEnd ?? 0;
  const here = math.within(s0, e0);
  const misses = nearMisses.within(s0, e0);
  if (here.length === 0 && misses.length === 0) return kids;
  let out: Token[] = [];
  const emitted = new Set<number>(); // starts of the formulas already in `out` (one spans several tokens)
  let mi = 0;
  for (const k of kids) {
    const ks = k.absStart ?? 0;
    const ke = k.absEnd ?? ks;
    while (mi < here.length && here[mi].end <= ks) mi++;
    const m = here[mi];
    if (!m || ke <= m.start) {
      out.push(k);
      continue;
    }
    // The token overlaps formula m (and possibly following ones).
    let pos = ks;
    let rest: AbsToken | undefined = k;
    while (rest && mi < here.length && here[mi].start < ke) {
      const f = here[mi];
      if (rest.type === 'text' && pos < f.start) out.push(textPiece(state, rest, ks, pos, f.start));
      if (!emitted.has(f.start)) {
        emitted.add(f.start);
        out.push(mathInline(state, f));
      }
      if (f.end <= ke) {
        pos = f.end;
        mi++;
      } else {
        rest = undefined;
        pos = ke;
      }
    }
    if (rest && rest.type === 'text' && pos < ke) out.push(textPiece(state, rest, ks, pos, ke));
  }
  if (misses.length > 0) out = wrapNearMisses(state, out as AbsToken[], misses);
  return out;
}

function textPiece(state: StateCore, t: AbsToken, tokenStart: number, from: number, to: number): AbsToken {
  const piece = new state.Token('text', '', 0) as AbsToken;
  piece.content = t.content.slice(from - tokenStart, to - tokenStart);
  piece.absStart = from;
  piece.absEnd = to;
  return piece;
}

function mathInline(state: StateCore, m: GithubMath): Token {
  const tok = new state.Token('math_inline', 'math', 0) as AbsToken;
  tok.absStart = m.start;
  tok.absEnd = m.end;
  tok.content = m.tex;
  tok.markup = m.syntax === 'double-dollar' ? '$$' : '$';
  const meta: MathTokenMeta = { display: false, delimited: m.delimited, syntax: m.syntax, start: m.start, end: m.end };
  tok.meta = meta;
  return tok;
}

/** Split text tokens at the given source offsets (any order) so that near-miss markers can be placed exactly. */
function splitAt(state: StateCore, kids: AbsToken[], cuts: number[]): AbsToken[] {
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: AbsToken[] = [];
  let ci = 0; // text tokens come in source order: a cursor over the sorted cuts, re-aimed by binary search if not
  for (const k of kids) {
    const ks = k.absStart;
    const ke = k.absEnd;
    if (k.type !== 'text' || ks === undefined || ke === undefined || ke - ks !== k.content.length) {
      out.push(k);
      continue;
    }
    if (ci > 0 && sorted[ci - 1] > ks) ci = 0;
    if (ci < sorted.length && sorted[ci] <= ks) {
      let lo = ci;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid] <= ks) lo = mid + 1;
        else hi = mid;
      }
      ci = lo;
    }
    let from = ks;
    for (; ci < sorted.length && sorted[ci] < ke; ci++) {
      const c = sorted[ci];
      if (c === from) continue;
      out.push(textPiece(state, k, ks, from, c));
      from = c;
    }
    out.push(from === ks ? k : textPiece(state, k, ks, from, ke));
  }
  return out;
}

function wrapNearMisses(state: StateCore, tokens: AbsToken[], misses: NearMiss[]): Token[] {
  const kids = splitAt(state, tokens, misses.flatMap((n) => [n.start, n.end]));
  const out: Token[] = [];
  const opens = new Map<number, NearMiss[]>();
  const closes = new Map<number, NearMiss[]>();
  // The first token ending after a miss's start is the first whose running maximum of ends does; the last token
  // starting before its end is the last whose running minimum of starts (from the right) does. Both running
  // values are monotone, so each lookup is a binary search.
  const n = kids.length;
  const maxEnd = new Array<number>(n);
  const minStart = new Array<number>(n);
  for (let i = 0, m = -Infinity; i < n; i++) maxEnd[i] = m = Math.max(m, kids[i].absEnd ?? 0);
  for (let i = n - 1, m = Infinity; i >= 0; i--) minStart[i] = m = Math.min(m, kids[i].absStart ?? 0);
  for (const miss of misses) {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (maxEnd[mid] > miss.start) hi = mid;
      else lo = mid + 1;
    }
    const first = lo < n ? lo : -1;
    lo = 0;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (minStart[mid] < miss.end) lo = mid + 1;
      else hi = mid;
    }
    const last = lo - 1;
    if (first < 0 || last < first) continue;
    (opens.get(first) ?? opens.set(first, []).get(first)!).push(miss);
    (closes.get(last) ?? closes.set(last, []).get(last)!).push(miss);
  }
  kids.forEach((k, i) => {
    for (const n of opens.get(i) ?? []) {
      const o = new state.Token('math_nearmiss_open', 'span', 1);
      const meta: NearMissTokenMeta = { miss: n, start: n.start, end: n.end };
      o.meta = meta;
      out.push(o);
    }
    out.push(k);
    for (const n of closes.get(i) ?? []) {
      const c = new state.Token('math_nearmiss_close', 'span', -1);
      const meta: NearMissTokenMeta = { miss: n, start: n.start, end: n.end };
      c.meta = meta;
      out.push(c);
    }
  });
  return out;
}
