// MW022 tilde-in-math: `~` pairs inside formulas become strikethrough (spec §5): owns strikethrough.
import { codeFormFix, docsPath, edit, ownNearMisses } from './util';
import type { LintRule, RuleExample } from '../types';
import { portableFor } from '../../tex/portable';
import type { NearMiss } from '../../scan/types';
import type { Fix, TextEdit } from '../../types';

/** Documented on docs/rules/MW022.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'Set $x~=~1$ and $y~=~2$ before the loop.\n',
    messages: [
      'GitHub shows this as plain text: `~` pairs form strikethrough before math is looked for. Write `\\nobreakspace` for a tie `~` (same space), or `\\sim` if similarity was meant.',
      'GitHub shows this as plain text: `~` pairs form strikethrough before math is looked for. Write `\\nobreakspace` for a tie `~` (same space), or `\\sim` if similarity was meant.',
    ],
  },
];

export const tildeInMath: LintRule = {
  id: 'MW022', alias: 'tilde-in-math', target: 'github',
  description: '`~` pairs inside formulas turn into GitHub strikethrough.',
  tags: ['emphasis'], defaultSeverity: 'error', fixable: true, specRules: ['GH-EMPH-03'], docs: docsPath('MW022'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      const v = n.vscode;
      const tie = portableFor('MW022', '~');
      const edits: TextEdit[] = [];
      for (let i = v.bodyStart; i < v.bodyEnd; i++) {
        if (ctx.text[i] === '~' && ctx.text[i - 1] !== '\\') edits.push(edit(i, i + 1, `${tie} `));
      }
      const fixes: Fix[] = [{ title: `Write the tie \`~\` as \`${tie}\` (the same space)`, edits, preferred: true }];
      const code = codeFormFix(ctx, v);
      if (code) fixes.push(code);
      ctx.report({ start: n.start, end: n.end, message, fixes });
    }
  },
};

/** `~` pairs form strikethrough. */
function explain(n: NearMiss): string | undefined {
  if (n.cause.kind !== 'strikethrough') return undefined;
  return `GitHub shows this as plain text: \`~\` pairs form strikethrough before math is looked for. Write \`${portableFor('MW022', '~')}\` for a tie \`~\` (same space), or \`\\sim\` if similarity was meant.`;
}
