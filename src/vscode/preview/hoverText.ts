// What the formula hover says, as Markdown text (no `vscode` import, so unit tests read it directly). Each thing is
// said once: the formula as GitHub shows it (its MathJax rendering, or GitHub's red error in place of a refused
// formula), then only the findings that VS Code's own diagnostic hover does not already show at the cursor (those
// elsewhere in the same formula). Findings are named by rule id, never by the spec's ids.
import type { Finding, TextEdit } from '../../core/types';
import type { TexProblem } from '../../core/tex/types';
import { refusal } from '../../core/render/mathjaxFormulas';

export interface HoverFormula {
  /** The formula as written (with its delimiters), for the image's alt text. */
  delimited: string;
  display: boolean;
  /** GitHub's MathJax rendering (SVG with `currentColor`), '' when MathJax produced none. */
  svg: string;
  /** What GitHub's MathJax reports for it. */
  problems: readonly TexProblem[];
}

export interface HoverInput {
  /** A formula GitHub renders at the cursor. */
  formula?: HoverFormula;
  /** Text GitHub leaves raw at the cursor (a near miss): what the formula should look like once fixed. */
  nearMiss?: { tex: string; svg: string };
  /** Lint findings on the hovered text (the lint service's, for this document version). */
  findings: readonly Finding[];
  /** Cursor offset: findings covering it are in VS Code's diagnostic hover already. */
  offset: number;
  /** Foreground colour for `currentColor` (an image does not inherit the hover's text colour). */
  color: string;
  /** SVG → data: URI. */
  dataUri(svg: string): string;
  /** A command link applying `edits` (the hover's own fix links). */
  fixLink(edits: TextEdit[], title: string): string;
}

/** GitHub's error colour for a refused formula (light and dark themes use the same red on GitHub's math errors). */
export const GITHUB_ERROR_RED = '#cf222e';

export { refusal };

/** A one-line SVG of `text` in GitHub's error red, the way GitHub shows a refused formula. */
export function errorSvg(text: string): string {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const width = Math.max(40, Math.ceil(text.length * 7.6) + 8);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="22" viewBox="0 0 ${width} 22">` +
    `<text x="4" y="15" font-family="-apple-system,BlinkMacSystemFont,'Segoe UI',Helvetica,Arial,sans-serif" font-size="13" fill="${GITHUB_ERROR_RED}">${esc}</text></svg>`;
}

export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>$]/g, (c) => `\\${c}`);
}

function escapeAlt(s: string): string {
  return s.replace(/[[\]\\\n]/g, ' ').slice(0, 200);
}

/** Findings VS Code's diagnostic hover does not show at `offset` (it shows those whose range holds the cursor). */
export function findingsNotAtCursor(findings: readonly Finding[], offset: number): Finding[] {
  return findings.filter((f) => !(f.start <= offset && offset <= f.end));
}

export function hoverMarkdown(h: HoverInput): string {
  const out: string[] = [];
  const image = (svg: string, alt: string) => `![${escapeAlt(alt)}](${h.dataUri(svg.replace(/currentColor/g, h.color))})`;
  if (h.formula) {
    const f = h.formula;
    const refused = refusal(f.problems);
    if (refused !== undefined) {
      out.push(`**GitHub shows an error instead of this ${f.display ? 'display' : 'inline'} formula:**`, image(errorSvg(refused), refused));
    } else {
      out.push(`**GitHub renders** (${f.display ? 'display' : 'inline'}, MathJax as on github.com):`);
      if (f.svg) out.push(image(f.svg, f.delimited));
    }
  } else if (h.nearMiss) {
    out.push('**GitHub does not render this as math.** What the formula should look like once fixed:');
    if (h.nearMiss.svg) out.push(image(h.nearMiss.svg, h.nearMiss.tex));
  }
  const others = findingsNotAtCursor(h.findings, h.offset);
  if (others.length > 0) {
    out.push('---', 'Elsewhere in this formula:');
    for (const f of others) {
      const fixes = f.fixes.map((x) => ` · [${escapeMd(x.title)}](${h.fixLink(x.edits, x.title)} "Apply this fix")`).join('');
      out.push(`$(lightbulb) **${f.ruleId}** ${escapeMd(f.message)}${fixes}`);
    }
  }
  return out.join('\n\n');
}
