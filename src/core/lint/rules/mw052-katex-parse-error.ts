// MW052 katex-parse-error: what KaTeX (VS Code's preview) cannot parse (spec §8).
import { docsPath, sourceSpan } from './util';
import type { LintRule } from '../types';
import { validateKatex } from '../../tex/katex';
import { peekGithubProblems } from '../../tex/mathjax';

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
        const verdict = github ? peekGithubProblems(github.tex, github.display) : undefined;
        const note = verdict && verdict.length === 0 ? ' GitHub\'s MathJax renders it, so only VS Code shows the error.' : '';
        ctx.report({ start: span.start, end: Math.max(span.end, span.start + 1), message: p.message + note });
      }
    }
  },
};
