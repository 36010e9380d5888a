// Helpers shared by rules: portable fixes and lookups on the scan.
import type { Fix, TextEdit } from '../../types';
import type { GithubMath, NearMiss, UnrenderedFormula, VscodeMath } from '../../scan/types';
import type { PairedDelimiter } from '../../scan/causes';
import type { RuleContext } from '../types';
import type { TexProblem } from '../../tex/types';
import { staticGithubChecks } from '../../tex/github';

export const docsPath = (id: string): string => `docs/rules/${id}.md`;

/** The near misses of the scan whose cause `explain` words (a rule's own), each with its message. */
export function ownNearMisses(ctx: RuleContext, explain: (n: NearMiss) => string | undefined): { miss: NearMiss; message: string }[] {
  const out: { miss: NearMiss; message: string }[] = [];
  for (const miss of ctx.scan.nearMisses) {
    const message = explain(miss);
    if (message !== undefined) out.push({ miss, message });
    // Problems the first cause masks: each rule reports its own in the same lint.
    for (const cause of miss.also ?? []) {
      const masked = { ...miss, cause, also: undefined };
      const text = explain(masked);
      if (text !== undefined) out.push({ miss: masked, message: text });
    }
  }
  return out;
}

/** Report every near miss the rule owns, in the rule's words, with the fixes `fixes(miss)` gives (none by default). */
export function reportNearMisses(ctx: RuleContext, explain: (n: NearMiss) => string | undefined, fixes: (n: NearMiss) => Fix[] = () => []): void {
  for (const { miss, message } of ownNearMisses(ctx, explain)) ctx.report({ start: miss.start, end: miss.end, message, fixes: fixes(miss) });
}

/** The code-form fix (preferred) as a fix list, or none. */
export function codeFormOnly(ctx: RuleContext, f: VscodeMath | GithubMath): Fix[] {
  const fix = codeFormFix(ctx, f, true);
  return fix ? [fix] : [];
}

/** How a character touching a delimiter is named in a message. */
export function describeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === '\u00a0') return 'a no-break space (U+00A0)';
  if (c === '\u3000') return 'an ideographic space (U+3000)';
  if (/[\u3000-\u303f\uff00-\uffef]/.test(c)) return `the full-width character \`${c}\``;
  if (/[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/.test(c)) return `the CJK character \`${c}\``;
  if (/[A-Za-z0-9]/.test(c)) return `the letter or digit \`${c}\``;
  if (code > 127) return `the character \`${c}\` (${hex})`;
  if (c === '`') return 'a backtick';
  return `\`${c}\``;
}

/** Source text quoted in a message: on one line, cut at `max` characters. */
export function show(s: string, max = 40): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Map a problem's offsets in the TeX GitHub receives back to the source (exact when the body is verbatim). */
export function sourceSpan(ctx: RuleContext, f: GithubMath | VscodeMath, tex: string, p: { start: number; end: number }): { start: number; end: number } {
  const body = ctx.text.slice(f.bodyStart, f.bodyEnd);
  if (body === tex) return { start: f.bodyStart + p.start, end: f.bodyStart + p.end };
  const needle = tex.slice(p.start, p.end);
  const at = needle ? body.indexOf(needle) : -1;
  if (at >= 0) return { start: f.bodyStart + at, end: f.bodyStart + at + needle.length };
  return { start: f.start, end: f.end };
}

/** The static GitHub MathJax problems (tex/github.ts) of the given kinds, with their source spans. */
export function githubProblems(ctx: RuleContext, kinds: TexProblem['kind'][], run: (g: GithubMath, p: TexProblem, span: { start: number; end: number }) => void): void {
  for (const g of ctx.scan.math) {
    for (const p of staticGithubChecks(g.tex)) if (kinds.includes(p.kind)) run(g, p, sourceSpan(ctx, g, g.tex, p));
  }
}

/**
 * The universal portable fix: rewrite `$…$` as `` $`…`$ `` (inline) or `$$…$$` as a ```math fence (display on its
 * own lines). The body is kept verbatim, so GitHub hands MathJax exactly what KaTeX renders in VS Code.
 */
export function codeFormFix(ctx: RuleContext, f: VscodeMath | GithubMath, preferred = false): Fix | undefined {
  // An unclosed formula (VS Code runs `$$` on to the end of the document) has no body to keep: rewriting it would
  // pull everything after it into the fence.
  if (!isClosed(ctx, f)) return undefined;
  const body = ctx.text.slice(f.bodyStart, f.bodyEnd);
  // A body across a blank line, or holding `$$`, is VS Code pairing delimiters of different formulas: there is no
  // one formula to keep.
  if (/\n[ \t]*\r?\n/.test(body) || body.includes('$$')) return undefined;
  if (f.syntax === 'dollar') {
    if (body.includes('`') || body.includes('\n')) return undefined;
    const trimmed = body.trim();
    return { title: 'Use the code form $`…`$ (GitHub reads it verbatim)', edits: [{ start: f.start, end: f.end, newText: `$\`${trimmed}\`$` }], preferred };
  }
  if (f.syntax === 'double-dollar') {
    const lineStart = ctx.text.lastIndexOf('\n', f.start - 1) + 1;
    const lineEndAt = ctx.text.indexOf('\n', f.end);
    const lineEnd = lineEndAt < 0 ? ctx.text.length : lineEndAt;
    const before = ctx.text.slice(lineStart, f.start);
    const after = ctx.text.slice(f.end, lineEnd);
    const inner = body.replace(/^\s*\n/, '').replace(/\n\s*$/, '').trim();
    if (inner.includes('```')) return undefined;
    if (f.context.inList || f.context.inTable || f.context.inHeading || f.context.inBlockquote) {
      if (body.includes('`') || body.includes('\n')) return undefined;
      return { title: 'Use the inline code form $`…`$', edits: [{ start: f.start, end: f.end, newText: `$\`${inner}\`$` }], preferred };
    }
    const pre = before.trim() === '' ? '' : '\n\n';
    const post = after.trim() === '' ? '' : '\n\n';
    return { title: 'Use a ```math fence', edits: [{ start: f.start, end: f.end, newText: `${pre}\`\`\`math\n${inner}\n\`\`\`${post}` }], preferred };
  }
  return undefined;
}

/** Is the formula written with both of its delimiters (`$…$`, `$$…$$`)? VS Code lets an unclosed `$$` run on. */
export function isClosed(ctx: RuleContext, f: VscodeMath | GithubMath): boolean {
  if (f.syntax === 'dollar') return f.end - f.start >= 2 && ctx.text[f.start] === '$' && ctx.text[f.end - 1] === '$';
  if (f.syntax === 'double-dollar') return f.end - f.start >= 4 && ctx.text.startsWith('$$', f.start) && ctx.text.startsWith('$$', f.end - 2) && f.bodyEnd <= f.end - 2;
  return true;
}

export function edit(start: number, end: number, newText: string): TextEdit {
  return { start, end, newText };
}

/** Is the offset inside code (fence, indented code or code span)? */
export function inCode(ctx: RuleContext, offset: number): boolean {
  return ctx.scan.code.some((c) => c.start <= offset && offset < c.end);
}

/** A macro replacement that cannot glue onto a following letter (`\lbrace` + `a` must not become `\lbracea`). */
export function macroText(macro: string, next: string | undefined): string {
  return next !== undefined && /[A-Za-z]/.test(next) ? `${macro} ` : macro;
}

/**
 * A one-line excerpt of `s` at most `max` characters long, centred on [at, at + len) (the part a message is about),
 * with `…` where it is cut.
 */
export function excerpt(s: string, at: number, len: number, max = 40): string {
  const one = s.replace(/\s/g, ' ');
  if (one.trim().length <= max) return one.replace(/ +/g, ' ').trim();
  let from = Math.max(0, Math.min(one.length - max, at - Math.floor((max - len) / 2)));
  let to = Math.min(one.length, from + max);
  if (from > 0) from++;
  if (to < one.length) to--;
  return `${from > 0 ? '…' : ''}${one.slice(from, to).replace(/ +/g, ' ')}${to < one.length ? '…' : ''}`;
}

/** A delimiter of an emphasis pair, as a message names it: "the 2nd `_` in `$a_{ij}$` (next line)". */
export function nameDelimiter(d: PairedDelimiter, markup: string, withLine = true): string {
  const nth = d.of > 1 ? `${ordinal(d.nth)} ` : '';
  const where = d.inFormula ? `in \`${excerpt(d.quote, d.quoteAt, markup.length)}\`` : `in the text \`${excerpt(d.quote, d.quoteAt, markup.length, 20)}\``;
  return `the ${nth}\`${markup}\` ${where}${withLine ? linesAway(d.lineDelta) : ''}`;
}

/** 1st, 2nd, 3rd, 4th… */
export function ordinal(k: number): string {
  const tens = k % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][k % 10] ?? 'th';
  return `${k}${suffix}`;
}

function linesAway(delta: number): string {
  if (delta === 0) return '';
  const n = Math.abs(delta);
  if (n === 1) return delta > 0 ? ' (next line)' : ' (line above)';
  return ` (${n} lines ${delta > 0 ? 'below' : 'above'})`;
}

const UNDERSCORE_PUNCT = /[\p{P}\p{S}]/u;

/**
 * Edits that make every `_` run in text[start, end) that CommonMark could use as an emphasis delimiter (one that
 * can open or close) inert, by putting a space on each side: `f(x)_i` → `f(x) _ i`. TeX ignores spaces in math, so
 * GitHub's MathJax and VS Code's KaTeX render the formula exactly as before. Escaped `\_` and intraword `a_b` are
 * left alone. Undefined when such a run touches a delimiter of the formula (a space there would unpair the `$`).
 */
export function underscoreEdits(text: string, start: number, end: number): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  const ws = (c: string | undefined): boolean => c === undefined || /\s/u.test(c);
  const punct = (c: string | undefined): boolean => c !== undefined && UNDERSCORE_PUNCT.test(c);
  for (let i = start; i < end; i++) {
    if (text[i] !== '_') continue;
    let slashes = 0;
    for (let k = i - 1; k >= start && text[k] === '\\'; k--) slashes++;
    let j = i;
    while (j < end && text[j] === '_') j++;
    if (slashes % 2 === 1) {
      i = j - 1;
      continue;
    }
    const before = text[i - 1];
    const after = text[j];
    const left = !ws(after) && (!punct(after) || ws(before) || punct(before));
    const right = !ws(before) && (!punct(before) || ws(after) || punct(after));
    // CommonMark's rule for `_`: it opens only when left-flanking and not intraword, closes likewise (`a_b` is inert).
    const opens = left && (!right || punct(before));
    const closes = right && (!left || punct(after));
    if (opens || closes) {
      if (i === start || j === end) return undefined;
      if (!ws(before)) edits.push(edit(i, i, ' '));
      if (!ws(after)) edits.push(edit(j, j, ' '));
    }
    i = j - 1;
  }
  return edits;
}

/** A formula as its author wrote it, in the shape of a rendered one (for fixes such as the code form). */
export function writtenFormula(u: UnrenderedFormula): VscodeMath {
  return { syntax: u.double ? 'double-dollar' : 'dollar', display: false, tex: '', start: u.start, end: u.end, range: u.range, bodyStart: u.bodyStart, bodyEnd: u.bodyEnd, context: u.context };
}
