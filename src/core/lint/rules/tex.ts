// TeX-level rules (spec §8): what GitHub's MathJax refuses or does not know, and what KaTeX (VS Code) cannot parse.
import type { Fix } from '../../types';
import type { GithubMath, VscodeMath } from '../../scan/types';
import type { LintRule, RuleContext } from '../types';
import { KATEX_ONLY_REPLACEMENTS, pageBraceBudget, staticGithubChecks } from '../../tex/github';
import { validateKatex } from '../../tex/katex';
import type { TexProblem } from '../../tex/types';
import { docsPath, edit } from './util';

/** Map a problem's offsets in the TeX GitHub receives back to the source (exact when the body is verbatim). */
export function sourceSpan(ctx: RuleContext, f: GithubMath | VscodeMath, tex: string, p: { start: number; end: number }): { start: number; end: number } {
  const body = ctx.text.slice(f.bodyStart, f.bodyEnd);
  if (body === tex) return { start: f.bodyStart + p.start, end: f.bodyStart + p.end };
  const needle = tex.slice(p.start, p.end);
  const at = needle ? body.indexOf(needle) : -1;
  if (at >= 0) return { start: f.bodyStart + at, end: f.bodyStart + at + needle.length };
  return { start: f.start, end: f.end };
}

function githubProblems(ctx: RuleContext, kinds: TexProblem['kind'][], run: (g: GithubMath, p: TexProblem, span: { start: number; end: number }) => void): void {
  for (const g of ctx.scan.math) {
    for (const p of staticGithubChecks(g.tex)) if (kinds.includes(p.kind)) run(g, p, sourceSpan(ctx, g, g.tex, p));
  }
}

export const refusedMacro: LintRule = {
  id: 'MW050', alias: 'github-refused-macro', target: 'github',
  description: 'GitHub refuses formulas containing `\\operatorname`, `\\phantom`, `\\colorbox`… and has no `\\newcommand`/`\\def`; very large formulas hit its brace limit.',
  tags: ['tex', 'mathjax'], defaultSeverity: 'error', fixable: true, specRules: ['GH-MJ-01', 'GH-MJ-02', 'GH-MJ-04'], docs: docsPath('MW050'),
  run(ctx) {
    githubProblems(ctx, ['refused-macro', 'removed-package', 'brace-limit'], (g, p, span) => {
      const fixes: Fix[] = [];
      const src = ctx.text.slice(span.start, ctx.text.length);
      const op = /^\\operatorname(\*?)\s*\{([^{}]*)\}/.exec(src);
      if (op) {
        const text = op[1] ? `\\mathop{\\mathrm{${op[2]}}}\\limits` : `\\mathop{\\mathrm{${op[2]}}}`;
        fixes.push({ title: `Replace by ${text}`, edits: [edit(span.start, span.start + op[0].length, text)], preferred: true });
        if (!op[1]) fixes.push({ title: `Replace by \\mathrm{${op[2]}}`, edits: [edit(span.start, span.start + op[0].length, `\\mathrm{${op[2]}}`)] });
      }
      ctx.report({ start: span.start, end: span.end, specRules: [p.kind === 'brace-limit' ? 'GH-MJ-04' : p.kind === 'removed-package' ? 'GH-MJ-01' : 'GH-MJ-02'], message: p.message, fixes });
    });
  },
  runPage(ctx) {
    const budget = pageBraceBudget(ctx.formulas.map((g) => g.tex));
    if (budget !== undefined) {
      const g = ctx.formulas[budget];
      ctx.report({ start: g.start, end: g.end, specRules: ['GH-MJ-04'], message: 'The page has more than 2000 `{` in its formulas: from here on GitHub shows "Unable to render expression". Split the document.' });
    }
  },
};

export const katexOnlyMacro: LintRule = {
  id: 'MW051', alias: 'katex-only-macro', target: 'github',
  description: 'Macros KaTeX knows but GitHub\'s MathJax does not (`\\bm`, `\\R`, `\\argmax`…): VS Code shows them, GitHub paints them red.',
  tags: ['tex', 'mathjax', 'katex'], defaultSeverity: 'error', fixable: true, specRules: ['GH-MJ-03'], docs: docsPath('MW051'),
  run(ctx) {
    githubProblems(ctx, ['katex-only', 'undefined-macro'], (_g, p, span) => {
      const name = /^\\([A-Za-z]+)/.exec(ctx.text.slice(span.start, span.end))?.[1];
      const repl = name ? KATEX_ONLY_REPLACEMENTS[name] : undefined;
      const fixes: Fix[] = [];
      if (name && repl && !repl.includes('…')) {
        const next = ctx.text[span.start + 1 + name.length];
        const glue = next !== undefined && /[A-Za-z]/.test(next) && /[A-Za-z]$/.test(repl) ? ' ' : '';
        fixes.push({ title: `Replace \\${name} by ${repl}`, edits: [edit(span.start, span.start + 1 + name.length, repl + glue)], preferred: true });
      }
      ctx.report({ start: span.start, end: span.end, message: p.message, fixes });
    });
  },
};

export const githubTexError: LintRule = {
  id: 'MW053', alias: 'github-tex-error', target: 'github',
  description: 'GitHub\'s MathJax (its package set and limits) cannot typeset this formula: a TeX error or an undefined macro painted red.',
  tags: ['tex', 'mathjax'], defaultSeverity: 'error', fixable: false, specRules: ['GH-MJ-01', 'GH-MJ-03', 'GH-MJ-05'], docs: docsPath('MW053'),
  readsGithubVerdicts: true,
  run(ctx) {
    // Results come from the asynchronous MathJax pass (lintTextAsync, or the extension's background validation);
    // a formula MathJax has not seen yet is simply not judged here.
    const damaged = new Set(ctx.scan.nearMisses.filter((n) => n.github && n.cause !== 'escaped-for-github').map((n) => n.github!.start));
    for (const g of ctx.scan.math) {
      if (damaged.has(g.start)) continue; // the Markdown damage is the cause; MW010 and friends explain it
      const problems = ctx.verdicts.verdict(g.tex, g.display);
      if (!problems || problems.length === 0) continue;
      const statics = new Set(staticGithubChecks(g.tex).map((p) => `${p.start}:${p.end}`));
      const katexOk = validateKatex(g.tex, g.display).length === 0;
      for (const p of problems) {
        if (statics.has(`${p.start}:${p.end}`)) continue; // reported by MW050/MW051
        const span = sourceSpan(ctx, g, g.tex, p);
        const note = katexOk ? ' VS Code\'s preview (KaTeX) renders it, so only GitHub readers see the error.' : '';
        ctx.report({ start: span.start, end: Math.max(span.end, span.start + 1), message: `GitHub's MathJax: ${p.message}${note}` });
      }
    }
  },
};

export const katexError: LintRule = {
  id: 'MW052', alias: 'katex-parse-error', target: 'vscode',
  description: 'KaTeX (VS Code\'s preview) cannot parse this formula.',
  tags: ['tex', 'katex'], defaultSeverity: 'error', fixable: false, specRules: [], docs: docsPath('MW052'),
  readsGithubVerdicts: true,
  run(ctx) {
    for (const v of ctx.scan.vscodeMath) {
      // The built-in preview typesets `$…$` in display mode when it holds an align/equation/gather/CD environment.
      const display = v.display || /\\begin\{(align|equation|gather|cd|alignat)\}/i.test(v.tex);
      for (const p of validateKatex(v.tex, display)) {
        const span = sourceSpan(ctx, v, v.tex, p);
        const github = ctx.scan.math.find((g) => g.start === v.start && g.end === v.end);
        const verdict = github ? ctx.verdicts.verdict(github.tex, github.display) : undefined;
        const note = verdict && verdict.length === 0 ? ' GitHub\'s MathJax renders it, so only VS Code shows the error.' : '';
        ctx.report({ start: span.start, end: Math.max(span.end, span.start + 1), message: p.message + note });
      }
    }
  },
};
