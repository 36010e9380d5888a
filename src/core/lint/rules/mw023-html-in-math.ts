// MW023 html-in-math: HTML read before math: a tag inside a formula, `<` + letter dropped by the browser, a raw `<b>` left
// open earlier (spec §5, §7): owns html-tag, tag-dropped, html-suppressed.
import { docsPath, edit, ownNearMisses, show } from './util';
import type { LintRule, RuleExample } from '../types';
import { portableFor } from '../../tex/portable';
import type { NearMiss } from '../../scan/types';
import type { TextEdit } from '../../types';

/** Documented on docs/rules/MW023.md (checked by rules-docs.test.ts). */
const EXAMPLES: readonly RuleExample[] = [
  {
    markdown: 'The hidden state $h^{<t>}$ depends on the input $x^{<t>}$.\n',
    messages: [
      'GitHub shows this as plain text: `<t>` is read as an HTML tag before math is looked for. Write `\\lt` / `\\gt` or put spaces around `<` and `>`.',
      'GitHub shows this as plain text: `<t>` is read as an HTML tag before math is looked for. Write `\\lt` / `\\gt` or put spaces around `<` and `>`.',
    ],
  },
];

export const htmlInMath: LintRule = {
  id: 'MW023', alias: 'html-in-math', target: 'github',
  description: '`<` followed by a letter inside math is read as an HTML tag (in the Markdown pass, or by the browser for ```math and `$$`).',
  tags: ['html'], defaultSeverity: 'error', fixable: true, specRules: ['GH-HTML-01', 'GH-HTML-02'], docs: docsPath('MW023'),
  examples: EXAMPLES,
  explain,
  run(ctx) {
    for (const { miss: n, message } of ownNearMisses(ctx, explain)) {
      const v = n.vscode;
      if ((n.cause.kind === 'html-suppressed' || n.cause.kind === 'html-tag') && !(v.start <= n.start && ctx.text.slice(v.bodyStart, v.bodyEnd).includes('<'))) {
        ctx.report({ start: n.start, end: n.end, message });
        continue;
      }
      const edits: TextEdit[] = [];
      for (let i = v.bodyStart; i < v.bodyEnd; i++) {
        const c = ctx.text[i];
        if (c === '<' || c === '>') {
          const next = ctx.text[i + 1];
          const sp = next !== undefined && /[A-Za-z]/.test(next) ? ' ' : '';
          edits.push(edit(i, i + 1, `${portableFor('MW023', c)}${sp}`));
        }
      }
      ctx.report({ start: n.start, end: n.end, message, fixes: edits.length ? [{ title: `Write \`<\` and \`>\` as \`${portableFor('MW023', '<')}\` and \`${portableFor('MW023', '>')}\``, edits, preferred: true }] : [] });
    }
  },
};

/** HTML read before math: a tag inside the formula, a tag the browser drops, or a `<b>` left open earlier. */
function explain(n: NearMiss): string | undefined {
  switch (n.cause.kind) {
    case 'html-tag':
      return `GitHub shows this as plain text: \`${show(n.cause.html, 20)}\` is read as an HTML tag before math is looked for. Write \`${portableFor('MW023', '<')}\` / \`${portableFor('MW023', '>')}\` or put spaces around \`<\` and \`>\`.`;
    case 'tag-dropped':
      return `GitHub drops \`<\` followed by a letter: the browser reads it as an HTML tag. Write \`${portableFor('MW023', '<')}\` or put a space after \`<\`.`;
    case 'html-suppressed':
      return `GitHub shows this as plain text: a raw \`<b>\` tag left open on line ${n.cause.line + 1} suppresses math in every later paragraph. Close it with \`</b>\` or remove it.`;
    default:
      return undefined;
  }
}
