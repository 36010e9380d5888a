// MW008 glued-math: `with$y$ as`, `3$x$`, `then$y$holds` — a formula plainly meant as math that neither GitHub nor
// VS Code renders, because a letter or digit touches a delimiter. Both renderers agree, so no near miss reports it;
// this rule looks for it directly. Dollar amounts and shell variables (`$5`, `$HOME`) are not formulas and stay
// silent, and so does anything whose body does not look like math (a single letter, or TeX: `\`, `^`, `_`, `=`).
import type { LintRule, RuleExample } from '../types';
import { startsAmountOrVariable } from '../../scan/dollars';
import { docsPath, edit, inCode } from './util';

const WORD = /[A-Za-z0-9]/;
/** A body plainly meant as math: one letter (with an optional one-character sub/superscript), or TeX syntax. */
const MATHY = /^(?:[A-Za-z](?:[_^][A-Za-z0-9])?|[^\s$][^$]*[\\^_=+<>][^$]*)$/;

/** Documented on docs/rules/MW008.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'Compare with$y$ as before, 3$x$ apples, and then$y$holds.\n',
    messages: [
      'Neither GitHub nor VS Code renders `$y$` as math: `h` touches the opening `$`. Put a space before `$`.',
      'Neither GitHub nor VS Code renders `$x$` as math: `3` touches the opening `$`. Put a space before `$`.',
      'Neither GitHub nor VS Code renders `$y$` as math: `n` touches the opening `$` and `h` the closing one. Put a space on both sides.',
    ],
  },
];

export const gluedMath: LintRule = {
  id: 'MW008', alias: 'glued-math', target: 'github',
  description: 'A letter or digit touches a delimiter of a formula plainly meant as math (`with$y$ as`, `3$x$`): neither GitHub nor VS Code renders it.',
  tags: ['delimiters'], defaultSeverity: 'error', fixable: true, specRules: ['GH-IN-01', 'GH-IN-04'], docs: docsPath('MW008'),
  examples: EXAMPLES,
  run(ctx) {
    const re = /\$([^\s$][^$\n]{0,60}?)\$/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ctx.text))) {
      const open = m.index;
      const close = open + m[0].length - 1;
      const before = ctx.text[open - 1];
      const after = ctx.text[close + 1];
      const gluedBefore = before !== undefined && WORD.test(before);
      const gluedAfter = after !== undefined && WORD.test(after);
      const body = m[1];
      if (!gluedBefore && !(gluedAfter && before !== undefined && WORD.test(before))) {
        // Text after the closing `$` alone is MW003's case; here at least the opening side must be glued.
        re.lastIndex = open + 1;
        continue;
      }
      if (ctx.text[close - 1] === ' ' || ctx.text[close - 1] === '\\' || ctx.text[open - 1] === '\\' || ctx.text[close + 1] === '$') {
        re.lastIndex = open + 1;
        continue;
      }
      // Glued on both sides to a lone character (`a$b$c`, the spec's own example of literal text): shell
      // concatenation of variables (`$b`, `$c`) or a string, not prose around a formula like `then$y$holds`.
      const lone = (at: number, step: number) => !WORD.test(ctx.text[at + step] ?? '');
      if (gluedBefore && gluedAfter && (lone(open - 1, -1) || lone(close + 1, 1))) {
        re.lastIndex = open + 1;
        continue;
      }
      if (!MATHY.test(body) || startsAmountOrVariable(ctx.text, open) || inCode(ctx, open)) {
        re.lastIndex = open + 1;
        continue;
      }
      const touches = (a: number, b: number) => (f: { start: number; end: number }) => f.start < b && a < f.end;
      if (ctx.scan.math.some(touches(open, close + 1)) || ctx.scan.vscodeMath.some(touches(open, close + 1))) {
        re.lastIndex = open + 1;
        continue;
      }
      const edits = [edit(open, open, ' ')];
      if (gluedAfter) edits.push(edit(close + 1, close + 1, ' '));
      const where = gluedAfter ? `\`${before}\` touches the opening \`$\` and \`${after}\` the closing one` : `\`${before}\` touches the opening \`$\``;
      ctx.report({ start: open, end: close + 1, message: `Neither GitHub nor VS Code renders \`${m[0]}\` as math: ${where}. Put a space ${gluedAfter ? 'on both sides' : 'before `$`'}.`, fixes: [{ title: gluedAfter ? 'Insert spaces around the formula' : 'Insert a space before `$`', edits, preferred: true }] });
      re.lastIndex = close + 1;
    }
  },
};
