// The language server's hover: for the formula under the cursor, GitHub's rendering (MathJax configured like
// github.com, as an SVG image in a data: URI, which Markdown hovers of VS Code-like clients show), the problems
// GitHub's MathJax reports, and the lint findings on the formula with their fixes (offered as code actions). For a
// near miss (text GitHub leaves raw) it says so and shows what was meant. Plain Markdown: no client-specific syntax.
import { scanDocument } from '../core/scan/scanner';
import type { NearMiss } from '../core/scan/types';
import { explainNearMiss } from '../core/lint/explain';
import type { Finding } from '../core/types';
import type { TexProblem } from '../core/tex/types';

export type RenderSvg = (tex: string, display: boolean) => Promise<{ svg: string; problems: TexProblem[] }>;

/** An SVG as a base64 data: URI, `currentColor` replaced by `color` (an image does not inherit the text colour). */
export function svgDataUri(svg: string, color: string): string {
  const bytes = new TextEncoder().encode(svg.replace(/currentColor/g, color));
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>$~]/g, (c) => `\\${c}`);
}

function escapeAlt(s: string): string {
  return s.replace(/[[\]\\\n]/g, ' ').slice(0, 200);
}

/** Inline code that shows `s` verbatim whatever backticks it contains. */
/** A near miss in the words of the lint rule owning its cause, with that rule's id (never a spec id). */
function explained(n: NearMiss, lead = false): string {
  const { ruleId, message } = explainNearMiss(n);
  const id = ruleId ? ` (${ruleId})` : '';
  return lead ? `${id}: ${escapeMd(message)}` : `${escapeMd(message)}${id}`;
}

function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${s.replace(/\n/g, ' ')} ${fence}`;
}

/**
 * Hover Markdown for `offset` of `text`, or undefined when no formula (or near miss) is there. `start`/`end` are
 * the offsets of what the hover is about.
 */
export async function hoverMarkdown(
  text: string,
  offset: number,
  findings: readonly Finding[],
  renderSvg: RenderSvg,
  color: string,
): Promise<{ markdown: string; start: number; end: number } | undefined> {
  const scan = scanDocument(text);
  const math = scan.math.find((m) => m.start <= offset && offset <= m.end);
  const miss = scan.nearMisses.find((n) => n.start <= offset && offset <= n.end);
  if (!math && !miss) return undefined;
  const start = Math.min(math?.start ?? Infinity, miss?.start ?? Infinity);
  const end = Math.max(math?.end ?? -Infinity, miss?.end ?? -Infinity);
  const parts: string[] = [];
  if (math) {
    const { svg, problems } = await renderSvg(math.tex, math.display);
    parts.push(`**GitHub renders** (${math.display ? 'display' : 'inline'}, MathJax as on github.com):`);
    if (svg) parts.push(`![${escapeAlt(math.delimited)}](${svgDataUri(svg, color)})`);
    for (const p of problems.filter((x) => x.target === 'github')) parts.push(`GitHub's MathJax: ${escapeMd(p.message)}`);
    if (miss) parts.push(explained(miss));
    parts.push(`MathJax receives: ${code(math.tex)}`);
  } else if (miss) {
    parts.push(`**GitHub does not render this as math**${explained(miss, true)}`);
    const { svg } = await renderSvg(miss.vscode.tex, miss.vscode.display);
    if (svg) parts.push(`What the formula should look like once fixed:\n\n![${escapeAlt(miss.vscode.tex)}](${svgDataUri(svg, color)})`);
  }
  const here = findings.filter((f) => f.start < end && f.end > start);
  if (here.length > 0) {
    parts.push('---');
    for (const f of here) {
      const fixes = f.fixes.map((x) => x.title);
      parts.push(`**${f.ruleId}** (${f.ruleAlias}) ${escapeMd(f.message)}${fixes.length ? `\n\nFix (code action): ${fixes.map(escapeMd).join(' · ')}` : ''}`);
    }
  }
  return { markdown: parts.join('\n\n'), start, end };
}
