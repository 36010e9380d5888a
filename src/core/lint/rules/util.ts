// Helpers shared by rules: portable fixes and lookups on the scan.
import type { Fix, TextEdit } from '../../types';
import type { GithubMath, NearMiss, VscodeMath } from '../../scan/types';
import type { RuleContext } from '../types';

export const docsPath = (id: string): string => `docs/rules/${id}.md`;

/** Near misses explained by one of the given spec rules. */
export function nearMisses(ctx: RuleContext, rules: string[]): NearMiss[] {
  return ctx.scan.nearMisses.filter((n) => rules.includes(n.rule));
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
