// MW021 math-in-emphasis-or-link: math inside italic text, link text or raw HTML, and link syntax inside math (spec §5, §7): owns
// in-emphasis, in-raw-html, in-link, link-syntax.
import { codeFormFix, docsPath, edit, macroText, nameDelimiter, ownNearMisses } from './util';
import type { LintRule, RuleExample, RuleContext } from '../types';
import { specRuleOf, type PairedDelimiter } from '../../scan/causes';
import { portableFor } from '../../tex/portable';
import type { NearMiss } from '../../scan/types';
import type { Fix, TextEdit } from '../../types';

/** Documented on docs/rules/MW021.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The score $f(x)_i$ falls while\nthe margin $m$ grows, and $w_{t}$ converges.\n',
    messages: [
      'GitHub shows this as plain text: it sits in Markdown italics made by the `_` in `$f(x)_i$` (line above) and the `_` in `$w_{t}$`, which pair up before GitHub looks for math; math is not rendered inside italics. To unpair them, put spaces around those two `_` (`x _ i`: TeX ignores them).',
    ],
  },
];

export const mathInEmphasisOrLink: LintRule = {
  id: 'MW021', alias: 'math-in-emphasis-or-link', target: 'github',
  description: 'Math inside *italic* text, link text or raw `<b>`/`<a>` is not rendered by GitHub; `[…](…)` inside a formula becomes a link.',
  tags: ['emphasis', 'links'], defaultSeverity: 'error', fixable: true, specRules: ['GH-EMPH-02', 'GH-CTX-03', 'GH-LINK-01'], docs: docsPath('MW021'),
  explain,
  examples: EXAMPLES,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      if (n.cause.kind === 'in-emphasis') {
        const fix = unpairFix(ctx, n.cause.markup, [n.cause.open, n.cause.close]);
        ctx.report({ start: n.start, end: n.end, message, specRules: [specRuleOf(n.cause)], fixes: fix ? [fix] : [] });
        continue;
      }
      if (n.cause.kind !== 'link-syntax') {
        ctx.report({ start: n.start, end: n.end, message, specRules: [specRuleOf(n.cause)] });
        continue;
      }
      const v = n.vscode;
      const body = ctx.text.slice(v.bodyStart, v.bodyEnd);
      const edits: TextEdit[] = [];
      const re = /\]\(/g;
      let m: RegExpExecArray | null;
      while ((m = re.exec(body))) edits.push(edit(v.bodyStart + m.index + 1, v.bodyStart + m.index + 1, ' '));
      const fixes: Fix[] = edits.length ? [{ title: 'Insert a space between `]` and `(`', edits, preferred: true }] : [];
      const code = codeFormFix(ctx, v, fixes.length === 0);
      if (code) fixes.push(code);
      ctx.report({ start: n.start, end: n.end, message, specRules: ['GH-LINK-01'], fixes });
    }
  },
};

/**
 * When both delimiters of the italics are `_` or `*` written inside formulas (the usual case: `$f(x)_i$ … $a_{ij}$`),
 * rewrite just those two so they no longer pair: spaces around `_` (`f(x) _ i`), `\ast` for `*`. Both spellings
 * render the same in GitHub's MathJax and VS Code's KaTeX. Undefined for real italics in the text.
 */
function unpairFix(ctx: RuleContext, markup: string, delims: PairedDelimiter[]): Fix | undefined {
  if (markup !== '_' && markup !== '*') return undefined;
  const edits: TextEdit[] = [];
  for (const d of delims) {
    if (!d.inFormula || ctx.text[d.start - 1] === '$' || ctx.text[d.end] === '$') return undefined;
    if (markup === '*') {
      edits.push(edit(d.start, d.end, macroText(portableFor('MW020', '*'), ctx.text[d.end])));
      continue;
    }
    if (!/\s/.test(ctx.text[d.start - 1] ?? ' ')) edits.push(edit(d.start, d.start, ' '));
    if (!/\s/.test(ctx.text[d.end] ?? ' ')) edits.push(edit(d.end, d.end, ' '));
  }
  if (edits.length === 0) return undefined;
  const title = markup === '_' ? 'Put spaces around the two `_` that pair (TeX ignores them)' : `Write the two \`*\` that pair as \`${portableFor('MW020', '*')}\``;
  return { title, edits, preferred: true };
}

/** The formula sits in italic text (say which delimiters make it), link text or raw HTML, or holds link syntax. */
function explain(n: NearMiss): string | undefined {
  switch (n.cause.kind) {
    case 'in-emphasis': {
      const { markup, open, close } = n.cause;
      const from = `${nameDelimiter(open, markup)} and ${nameDelimiter(close, markup)}`;
      const run = `from ${nameDelimiter(open, markup)} to ${nameDelimiter(close, markup)}`;
      if (open.inFormula && close.inFormula && (markup === '_' || markup === '*')) {
        const what = markup === '_' ? `put spaces around those two \`_\` (\`x${portableFor('MW020', '_')}i\`: TeX ignores them)` : `write those two \`*\` as \`${portableFor('MW020', '*')}\``;
        return `GitHub shows this as plain text: it sits in Markdown italics made by ${from}, which pair up before GitHub looks for math; math is not rendered inside italics. To unpair them, ${what}.`;
      }
      return `GitHub shows this as plain text: math is not rendered inside *italic* text (bold works), and the italics here run ${run}. Move the formula out of the emphasis or use bold.`;
    }
    case 'in-raw-html':
      return 'GitHub shows this as plain text: math is not rendered inside raw `<b>`, `<a>`, `<em>`, `<code>` or `<pre>` elements.';
    case 'in-link':
      return 'GitHub shows this as plain text: math is not rendered inside link text. Move the formula out of the link.';
    case 'link-syntax':
      return 'GitHub shows this as plain text: `[…](…)` inside the formula is read as a Markdown link. Add a space between `]` and `(`, use `\\lbrack … \\rbrack`, or use the `` $`…`$ `` form.';
    default:
      return undefined;
  }
}
