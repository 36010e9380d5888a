// MW043 backtick-math-context: the code form `` $`…`$ `` touching a preceding character (spec §7). Found on the code spans.
import { describeChar, docsPath, edit } from './util';
import type { LintRule, RuleExample } from '../types';
import { canPrecedeOpener } from '../../scan/dollars';

/** Documented on docs/rules/MW043.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The ridge penalty is the term,$`\\lambda \\Vert w\\Vert^2`$ added to the loss.\n',
    messages: [
      'GitHub shows this as code, not math, because `,` touches the opening `$`. Put a space before `$`.',
    ],
  },
];

export const backtickMathContext: LintRule = {
  id: 'MW043', alias: 'backtick-math-context', target: 'github',
  description: 'The code form `` $`…`$ `` follows the same rule as `$`: it must not touch a preceding character.',
  tags: ['delimiters', 'backtick'], defaultSeverity: 'error', fixable: true, specRules: ['GH-BT-01'], docs: docsPath('MW043'),
  examples: EXAMPLES,
  run(ctx) {
    for (const t of ctx.scan.tokens) {
      if (t.type !== 'code_inline' || ctx.text[t.start - 1] !== '$' || ctx.text[t.end] !== '$') continue;
      const open = t.start - 1;
      if (ctx.scan.math.some((g) => g.start === open)) continue;
      const before = ctx.text[open - 1];
      if (before === undefined || canPrecedeOpener(before)) continue;
      ctx.report({ start: open, end: t.end + 1, message: `GitHub shows this as code, not math, because ${describeChar(before)} touches the opening \`$\`. Put a space before \`$\`.`, fixes: [{ title: 'Insert a space before `$`', edits: [edit(open, open, ' ')], preferred: true }] });
    }
  },
};
