// Typesetting GitHub mode's formulas with MathJax configured like github.com (src/core/tex/mathjax.ts): the one
// path for the desktop typeset worker (src/node/typesetWorker.ts, results sent to the extension host) and the web
// extension (which typesets in its own web-worker extension host). A result becomes the page's HTML for the formula's
// slot: MathJax's SVG, or GitHub's red refusal text.
import type { GithubValidator } from '../tex/mathjax';
import { refusal, refusedHtml, typesetHtml, type FormulaRequest } from './mathjaxFormulas';

/** One formula's typesetting: its SVG (MathJax's own error rendering for a TeX error) or GitHub's refusal. */
export interface TypesetResult {
  key: string;
  svg: string;
  /** The red text GitHub shows instead of the formula. */
  refused?: string;
  /** MathJax itself failed (not a TeX error: those are in the SVG). */
  error?: string;
}

/** Typesets the formulas one after the other (MathJax is not re-entrant). */
export async function typesetFormulas(validator: GithubValidator, formulas: readonly FormulaRequest[]): Promise<TypesetResult[]> {
  const results: TypesetResult[] = [];
  for (const f of formulas) {
    try {
      const { svg, problems } = await validator.renderSvg(f.tex, f.display);
      results.push({ key: f.key, svg, refused: refusal(problems) });
    } catch (e) {
      results.push({ key: f.key, svg: '', error: e instanceof Error ? e.message : String(e) });
    }
  }
  return results;
}

/** The HTML the page puts in place of each formula's slot (results in any order; unknown keys dropped). */
export function typesetResultsHtml(formulas: readonly FormulaRequest[], results: readonly TypesetResult[]): { key: string; html: string }[] {
  const byKey = new Map(formulas.map((f) => [f.key, f]));
  return results.map((r) => {
    if (r.refused !== undefined) return { key: r.key, html: refusedHtml(r.refused) };
    if (!r.svg) return { key: r.key, html: refusedHtml(r.error ?? 'MathJax failed on this formula') };
    return { key: r.key, html: typesetHtml(r.svg, byKey.get(r.key)?.display ?? false) };
  });
}
