// Helpers shared by rules: portable fixes and lookups on the scan.
import type { Fix, TextEdit } from '../../types';
import type { GithubMath, NearMiss, VscodeMath } from '../../scan/types';
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
