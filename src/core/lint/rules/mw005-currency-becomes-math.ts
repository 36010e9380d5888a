// MW005 currency-becomes-math: dollar amounts that pair into a formula, and `\$` that does not protect a dollar (spec §3). Found on
// GitHub's formulas.
import { docsPath, edit, show } from './util';
import { pairsTextDollars } from '../../scan/dollars';
import type { LintRule, RuleExample } from '../types';

/** Documented on docs/rules/MW005.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'Write \\$x^2\\$ in your notes to get a formula.\nThe budget is between $10 and 20$ per student.\n',
    messages: [
      '`\\$` does not protect a dollar sign on GitHub: Markdown removes the backslash first, so GitHub renders `$x^2$` as math. Write `<span>$</span>` for a literal dollar.',
      'GitHub renders `$10 and 20$` as a formula: the dollar amounts pair up. Write the first dollar sign as `<span>$</span>`.',
    ],
  },
];

export const dollarAsCurrency: LintRule = {
  id: 'MW005', alias: 'currency-becomes-math', target: 'github',
  description: 'Dollar amounts or shell variables pair up into a formula on GitHub (`$10 and 30$`, `$RANDOM gives $`), or `\\$` fails to protect a dollar sign.',
  tags: ['delimiters', 'currency'], defaultSeverity: 'warning', fixable: true, specRules: ['GH-IN-13', 'GH-IN-10'], docs: docsPath('MW005'),
  examples: EXAMPLES,
  run(ctx) {
    for (const g of ctx.scan.math) {
      if (g.syntax !== 'dollar') continue;
      const openEscaped = ctx.text[g.start] === '\\';
      let slashes = 0;
      for (let k = g.end - 2; k >= g.start && ctx.text[k] === '\\'; k--) slashes++;
      const closeEscaped = ctx.text[g.end - 1] === '$' && slashes % 2 === 1;
      if (openEscaped || closeEscaped) {
        const edits = [];
        if (openEscaped) edits.push(edit(g.start, g.start + 2, '<span>$</span>'));
        if (closeEscaped) edits.push(edit(g.end - 2, g.end, '<span>$</span>'));
        ctx.report({ start: g.start, end: g.end, specRules: ['GH-IN-10'], message: `\`\\$\` does not protect a dollar sign on GitHub: Markdown removes the backslash first, so GitHub renders \`${g.delimited}\` as math. Write \`<span>$</span>\` for a literal dollar.`, fixes: [{ title: 'Write literal dollars as <span>$</span>', edits, preferred: true }] });
        continue;
      }
      if (/^\d/.test(g.tex) && /\s[A-Za-z]{2,}\s/.test(g.tex) && !/\\/.test(g.tex)) {
        ctx.report({ start: g.start, end: g.end, specRules: ['GH-IN-13'], message: `GitHub renders \`${g.delimited}\` as a formula: the dollar amounts pair up. Write the first dollar sign as \`<span>$</span>\`.`, fixes: [{ title: 'Write the dollar sign as <span>$</span>', edits: [edit(g.start, g.start + 1, '<span>$</span>')], preferred: true }] });
      }
      else if (pairsTextDollars(ctx.text, g.start, g.end)) {
        // A shell variable's (or an amount's) `$` pairs with the next `$` (`$RANDOM gives a number in $[0, 32767]$`).
        const name = /^\$(\{\w+\}|\w+)/.exec(ctx.text.slice(g.start, g.end))?.[0] ?? '$';
        ctx.report({ start: g.start, end: g.end, specRules: ['GH-IN-13', 'GH-IN-06'], message: `GitHub renders \`${show(g.delimited)}\` as a formula: the \`$\` of \`${name}\` pairs with the next \`$\`. Write that dollar sign as \`<span>$</span>\` (or put \`${name}\` in a code span).`, fixes: [{ title: 'Write the dollar sign as <span>$</span>', edits: [edit(g.start, g.start + 1, '<span>$</span>')], preferred: true }] });
      }
    }
  },
};
