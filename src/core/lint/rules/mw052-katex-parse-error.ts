// MW052 katex-parse-error: what KaTeX (VS Code's preview) cannot parse (spec §8), said in words a student
// understands: KaTeX's parser messages ("Expected node of symbol group type…") are translated here, the raw text
// kept only for messages this file does not know.
import { docsPath, sourceSpan } from './util';
import type { LintRule, RuleExample } from '../types';
import { validateKatex } from '../../tex/katex';
import { peekGithubProblems } from '../../tex/mathjax';
import type { TexProblem } from '../../tex/types';

/** Documented on docs/rules/MW052.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The average is $\\frac{1}{n}\\sum_{i=1}^{n} x_i$, and half of it is $\\frac{1}{2$.\n',
    messages: ['VS Code\'s preview (KaTeX) shows this formula as a red error: a `{` is never closed, so the formula ends in the middle of an argument. Add the missing `}`.'],
  },
];

export const katexError: LintRule = {
  id: 'MW052', alias: 'katex-parse-error', target: 'vscode',
  description: 'KaTeX (VS Code\'s preview) cannot parse this formula.',
  tags: ['tex', 'katex'], defaultSeverity: 'error', fixable: false, specRules: [], docs: docsPath('MW052'),
  readsGithubVerdicts: true,
  examples: EXAMPLES,
  run(ctx) {
    for (const v of ctx.scan.vscodeMath) {
      // The built-in preview typesets `$…$` in display mode when it holds an align/equation/gather/CD environment.
      const display = v.display || /\\begin\{(align|equation|gather|cd|alignat)\}/i.test(v.tex);
      for (const p of validateKatex(v.tex, display)) {
        const span = sourceSpan(ctx, v, v.tex, p);
        const github = ctx.scan.math.find((g) => g.start === v.start && g.end === v.end);
        const verdict = github ? peekGithubProblems(github.tex, github.display) : undefined;
        const note = verdict && verdict.length === 0 ? ' GitHub\'s MathJax renders it, so only VS Code shows the error.' : '';
        ctx.report({ start: span.start, end: Math.max(span.end, span.start + 1), message: inWords(p, v.tex) + note });
      }
    }
  },
};

const q = (s: string): string => (s.includes('`') ? `\`\` ${s} \`\`` : `\`${s}\``);

/** KaTeX's parser message in words: what is wrong and what to write. */
export function inWords(p: TexProblem, tex: string): string {
  const lead = 'VS Code\'s preview (KaTeX) shows this formula as a red error:';
  const raw = p.raw;
  if (raw === undefined) return p.message;
  const say = (words: string): string => `${lead} ${words}`;
  let m: RegExpExecArray | null;
  if (/^Expected node of symbol group type/.test(raw)) {
    if (/\\begin\{(sub)?array\}/.test(tex)) {
      return say('it cannot read the column letters of the `array`. Write one letter per column (`l`, `c` or `r`, with `|` for a rule between columns) and no braces or other commands inside, e.g. `\\begin{array}{c|c}`.');
    }
    return say('it expected a single symbol at this place and found a group or a command.');
  }
  if ((m = /^Unexpected end of input in a macro argument, expected '(.)'/.exec(raw))) {
    return say(m[1] === ']'
      ? 'an optional argument opened with `[` is never closed. Add the missing `]`.'
      : 'a `{` is never closed, so the formula ends in the middle of an argument. Add the missing `}`.');
  }
  if ((m = /^Expected '\}', got 'EOF'/.exec(raw))) return say('a `{` is never closed. Add the missing `}`.');
  if ((m = /^Expected '\}', got '(.+)'$/.exec(raw))) {
    if (/\\left\{/.test(tex)) return say('`\\left{` opens a group, not a brace: write `\\left\\{` (or `\\left\\lbrace`) for a left brace.');
    return say(`a \`{\` is still open when ${q(m[1])} comes. Add the missing \`}\` before it.`);
  }
  if (/^Expected 'EOF', got '\}'/.test(raw)) return say('this `}` closes nothing: remove it, or add the `{` that it should close.');
  if (/^Expected 'EOF', got '&'/.test(raw)) {
    return say('`&` separates columns only inside an environment such as `aligned`, `cases` or `matrix`. Put the rows in `\\begin{aligned} … \\end{aligned}`, or write `\\&` for an ampersand sign.');
  }
  if (/^Expected 'EOF', got '\\right'/.test(raw)) return say('this `\\right` has no `\\left` before it. Add the `\\left` or remove the `\\right`.');
  if ((m = /^Expected 'EOF', got '(.+)'$/.exec(raw))) return say(`${q(m[1])} cannot appear here.`);
  if (/^Expected '\\right', got 'EOF'/.test(raw)) return say('this `\\left` has no `\\right` after it. Add `\\right)` (or `\\right.` for no visible bracket) where the bracket closes.');
  if ((m = /^Expected group after '(.)'/.exec(raw))) return say(`\`${m[1]}\` needs something after it: write \`x${m[1]}{2}\`, or remove the \`${m[1]}\`.`);
  if ((m = /^Expected group as argument to '(\\[A-Za-z]+)'/.exec(raw))) return say(`${q(m[1])} needs a bracket after it, such as \`)\`, \`]\` or \`.\` for none.`);
  if (/^Double superscript/.test(raw)) return say('two superscripts in a row (`x^2^3`). Group them: `x^{2^3}` or `{x^2}^3`.');
  if (/^Double subscript/.test(raw)) return say('two subscripts in a row (`x_1_2`). Group them: `x_{1_2}` or `x_{12}`.');
  if ((m = /^Undefined control sequence: (\\\S+)/.exec(raw))) return say(`KaTeX does not know ${q(m[1])}. Check its spelling; a macro defined with \`\\newcommand\` in another formula is not known here.`);
  if ((m = /^No such environment: (\S+)/.exec(raw))) return say(`there is no environment ${q(m[1])}. Check its name (\`aligned\`, \`cases\`, \`pmatrix\`, \`array\`…).`);
  if ((m = /^Mismatch: (\\begin\{[^}]*\}) matched by (\\end\{[^}]*\})/.exec(raw))) return say(`${q(m[1])} is closed by ${q(m[2])}: the names must match.`);
  if ((m = /^Unknown column alignment: (.+)/.exec(raw))) return say(`${q(m[1])} is not a column letter: use \`l\`, \`c\` or \`r\`.`);
  if ((m = /^\{(\w+\*?)\} can be used only in display mode/.exec(raw))) return say(`\`${m[1]}\` works only in display math. Put the formula in \`$$ … $$\` on lines of its own, or use \`aligned\` inside \`$…$\`.`);
  if (/^Limit controls must follow a math operator/.test(raw)) return say('`\\limits` works only right after an operator such as `\\sum` or `\\mathop{…}`.');
  if (/^\\middle without preceding \\left/.test(raw)) return say('`\\middle` needs a `\\left … \\right` pair around it.');
  return say(`KaTeX reports "${raw}".`);
}
